/**
 * The parts of Kubernetes API objects that the timing computation reads, typed as the plain JSON the API
 * server returns (never client-node class instances). Every field is optional because lists from the API
 * omit empty fields, list items carry no `kind`, and older servers lack newer fields. Times are RFC 3339
 * strings: whole seconds for `metav1.Time` (creationTimestamp, condition and container times,
 * firstTimestamp/lastTimestamp), microseconds for `metav1.MicroTime` (eventTime, series.lastObservedTime).
 */

export interface OwnerReference {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Container {
  name: string;
  image?: string;
  imagePullPolicy?: string;
  /** `Always` on an init container makes it a sidecar (KEP-753). */
  restartPolicy?: string;
}

/** One entry of `spec.volumes`: only which source is set matters here. */
export type Volume = { name?: string; csi?: { volumeAttributes?: Record<string, string> } } & Record<string, unknown>;

export interface PodSpec {
  nodeName?: string;
  hostNetwork?: boolean;
  initContainers?: Container[];
  containers?: Container[];
  volumes?: Volume[];
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastProbeTime?: string | null;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string | null };
  terminated?: { startedAt?: string | null; finishedAt?: string | null; exitCode?: number; reason?: string };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodStatus {
  phase?: string;
  conditions?: PodCondition[];
  startTime?: string | null;
  nominatedNodeName?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  fieldPath?: string;
  resourceVersion?: string;
}

export interface EventSeries {
  count?: number;
  lastObservedTime?: string | null;
}

/** An Event as `/api/v1/namespaces/<ns>/events` returns it. */
export interface CoreEvent {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  eventTime?: string | null;
  series?: EventSeries | null;
  action?: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** An Event as `/apis/events.k8s.io/v1/namespaces/<ns>/events` returns it. */
export interface EventsV1Event {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  regarding?: ObjectReference;
  reason?: string;
  note?: string;
  type?: string;
  eventTime?: string | null;
  series?: EventSeries | null;
  action?: string;
  reportingController?: string;
  reportingInstance?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

export type KubeEvent = CoreEvent | EventsV1Event;

export interface NodeImage {
  names?: string[];
  sizeBytes?: number;
}

export interface Node {
  metadata: ObjectMeta;
  status?: {
    images?: NodeImage[];
    nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string };
  };
}

/** Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob (or Pod). */
export interface WorkloadObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    selector?: LabelSelector | Record<string, string> | null;
    template?: { metadata?: ObjectMeta };
    jobTemplate?: { metadata?: ObjectMeta; spec?: { selector?: LabelSelector | null; template?: { metadata?: ObjectMeta } } };
  };
}

export type ReplicaSet = WorkloadObject;
export type Job = WorkloadObject;
