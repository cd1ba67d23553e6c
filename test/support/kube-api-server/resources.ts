/**
 * The resource types this test server serves, described as discovery describes them (name, kind,
 * scope, verbs, short names), with the field labels each type accepts in a field selector: exactly
 * the labels kube-apiserver's field-label conversion functions accept, and the values its
 * `ToSelectableFields` functions derive from an object.
 *
 * events.k8s.io/v1 Events share the storage of core/v1 Events, as in kube-apiserver: objects are
 * stored in their core/v1 form and presented converted.
 */

/** A Kubernetes object as plain JSON, the way the API serves it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  /** The plural name used in paths: `pods`. */
  resource: string;
  kind: string;
  singularName: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Objects of types with the same storage are one set of objects (core and events.k8s.io Events). */
  storage: string;
  /** Field label → value, for every field label the type accepts in a field selector. */
  selectableFields(stored: KubeObject): Record<string, string>;
  /** Older spellings also accepted, mapped to the label they stand for (pods' `spec.host`). */
  fieldLabelAliases?: Record<string, string>;
  /**
   * When set, the only labels accepted, mapped to the stored form's label: events.k8s.io/v1 names
   * `regarding.*` what the stored core Event calls `involvedObject.*`.
   */
  fieldLabels?: Record<string, string>;
  /** Converts the stored form into this API version's form (without kind and apiVersion). */
  present?(stored: KubeObject): KubeObject;
  subresources?: Array<{ name: string; kind: string; verbs: string[] }>;
}

export function apiVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function field(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** A field's value as the Go field set writes it: "" when absent, "true"/"false", decimal numbers. */
function text(object: unknown, path: string, absent = ''): string {
  const value = field(object, path);
  if (value === undefined || value === null) return absent;
  return String(value);
}

function metadataFields(object: KubeObject, namespaced: boolean): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': object.metadata.name };
  if (namespaced) fields['metadata.namespace'] = object.metadata.namespace ?? '';
  return fields;
}

function standardType(
  group: string,
  resource: string,
  kind: string,
  options: { namespaced?: boolean; shortNames?: string[]; categories?: string[]; verbs?: string[] } = {},
  extraFields: (object: KubeObject) => Record<string, string> = () => ({}),
): ResourceType {
  const namespaced = options.namespaced ?? true;
  return {
    group,
    version: 'v1',
    resource,
    kind,
    singularName: kind.toLowerCase(),
    namespaced,
    verbs: options.verbs ?? ALL_VERBS,
    shortNames: options.shortNames,
    categories: options.categories,
    storage: group ? `${group}/${resource}` : resource,
    selectableFields: (object) => ({ ...metadataFields(object, namespaced), ...extraFields(object) }),
  };
}

function podFields(pod: KubeObject): Record<string, string> {
  const podIps = field(pod, 'status.podIPs');
  const firstPodIp = Array.isArray(podIps) && podIps.length > 0 ? text(podIps[0], 'ip') : '';
  return {
    'spec.nodeName': text(pod, 'spec.nodeName'),
    'spec.restartPolicy': text(pod, 'spec.restartPolicy'),
    'spec.schedulerName': text(pod, 'spec.schedulerName'),
    'spec.serviceAccountName': text(pod, 'spec.serviceAccountName'),
    'spec.hostNetwork': text(pod, 'spec.hostNetwork', 'false'),
    'status.phase': text(pod, 'status.phase'),
    'status.podIP': text(pod, 'status.podIP') || firstPodIp,
    'status.nominatedNodeName': text(pod, 'status.nominatedNodeName'),
  };
}

function coreEventFields(event: KubeObject): Record<string, string> {
  const source = text(event, 'source.component') || text(event, 'reportingComponent');
  return {
    'involvedObject.kind': text(event, 'involvedObject.kind'),
    'involvedObject.namespace': text(event, 'involvedObject.namespace'),
    'involvedObject.name': text(event, 'involvedObject.name'),
    'involvedObject.uid': text(event, 'involvedObject.uid'),
    'involvedObject.apiVersion': text(event, 'involvedObject.apiVersion'),
    'involvedObject.resourceVersion': text(event, 'involvedObject.resourceVersion'),
    'involvedObject.fieldPath': text(event, 'involvedObject.fieldPath'),
    reason: text(event, 'reason'),
    reportingComponent: text(event, 'reportingComponent'),
    source,
    type: text(event, 'type'),
  };
}

/** core/v1 Event → events.k8s.io/v1 Event, as kube-apiserver's conversion maps the fields. */
function coreEventToEventsV1(event: KubeObject): KubeObject {
  const converted: KubeObject = { metadata: event.metadata, eventTime: event.eventTime ?? null };
  const copy = (from: string, to: string) => {
    if (event[from] !== undefined && event[from] !== null && event[from] !== '') converted[to] = event[from];
  };
  copy('series', 'series');
  copy('reportingComponent', 'reportingController');
  copy('reportingInstance', 'reportingInstance');
  copy('action', 'action');
  copy('reason', 'reason');
  copy('involvedObject', 'regarding');
  copy('related', 'related');
  copy('message', 'note');
  copy('type', 'type');
  copy('source', 'deprecatedSource');
  copy('firstTimestamp', 'deprecatedFirstTimestamp');
  copy('lastTimestamp', 'deprecatedLastTimestamp');
  copy('count', 'deprecatedCount');
  return converted;
}

const coreEvents = standardType('', 'events', 'Event', { shortNames: ['ev'] }, coreEventFields);

export const RESOURCE_TYPES: ResourceType[] = [
  {
    ...standardType('', 'pods', 'Pod', { shortNames: ['po'], categories: ['all'] }, podFields),
    // Old v1 clients send spec.host; kube-apiserver still maps it to spec.nodeName.
    fieldLabelAliases: { 'spec.host': 'spec.nodeName' },
  },
  coreEvents,
  {
    ...standardType('', 'nodes', 'Node', { namespaced: false, shortNames: ['no'] }),
    selectableFields: (node) => ({ 'metadata.name': node.metadata.name, 'spec.unschedulable': text(node, 'spec.unschedulable', 'false') }),
    subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
  },
  {
    ...standardType('', 'namespaces', 'Namespace', { namespaced: false, shortNames: ['ns'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] }),
    selectableFields: (namespace) => ({ 'metadata.name': namespace.metadata.name, 'status.phase': text(namespace, 'status.phase') }),
  },
  standardType('apps', 'deployments', 'Deployment', { shortNames: ['deploy'], categories: ['all'] }),
  standardType('apps', 'replicasets', 'ReplicaSet', { shortNames: ['rs'], categories: ['all'] }, (rs) => ({ 'status.replicas': text(rs, 'status.replicas', '0') })),
  standardType('apps', 'statefulsets', 'StatefulSet', { shortNames: ['sts'], categories: ['all'] }),
  standardType('apps', 'daemonsets', 'DaemonSet', { shortNames: ['ds'], categories: ['all'] }),
  standardType('batch', 'jobs', 'Job', { categories: ['all'] }, (job) => ({ 'status.successful': text(job, 'status.successful', '0') })),
  standardType('batch', 'cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'] }),
  {
    ...coreEvents,
    group: 'events.k8s.io',
    storage: coreEvents.storage,
    fieldLabels: {
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
      source: 'source',
      reason: 'reason',
      type: 'type',
      'metadata.name': 'metadata.name',
      'metadata.namespace': 'metadata.namespace',
    },
    present: coreEventToEventsV1,
  },
];

/** The stored form's field label a field selector's `label` stands for, or undefined when not supported. */
export function resolveFieldLabel(type: ResourceType, label: string): string | undefined {
  if (type.fieldLabels) return type.fieldLabels[label];
  if (label in type.selectableFields({ metadata: { name: '' } })) return label;
  return type.fieldLabelAliases?.[label];
}

export function findResourceType(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.resource === resource);
}

/** The type an object is stored as, from its apiVersion and kind (core Events for both Event APIs). */
export function storedTypeOf(object: KubeObject): ResourceType {
  const apiVersion = object.apiVersion ?? '';
  const type = RESOURCE_TYPES.find((candidate) => apiVersionOf(candidate) === apiVersion && candidate.kind === object.kind && !candidate.present);
  if (!type) {
    throw new Error(
      `the test API server stores no ${object.kind ?? '(no kind)'} of ${apiVersion || '(no apiVersion)'}: ` +
        `give core/v1, apps/v1 or batch/v1 objects with apiVersion and kind (Events as core/v1 Events)`,
    );
  }
  return type;
}

/** The groups served, with their versions, in the order /apis lists them. */
export function servedGroups(): Array<{ name: string; versions: string[] }> {
  const groups: Array<{ name: string; versions: string[] }> = [];
  for (const type of RESOURCE_TYPES) {
    if (!type.group) continue;
    let group = groups.find((candidate) => candidate.name === type.group);
    if (!group) groups.push((group = { name: type.group, versions: [] }));
    if (!group.versions.includes(type.version)) group.versions.push(type.version);
  }
  return groups;
}
