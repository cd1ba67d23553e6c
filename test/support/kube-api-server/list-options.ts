/**
 * The query parameters of list and watch requests (labelSelector, fieldSelector, limit, continue,
 * resourceVersion, resourceVersionMatch, timeoutSeconds, allowWatchBookmarks, sendInitialEvents),
 * read and validated as kube-apiserver's ValidateListOptions does: a selector that does not parse
 * is a 400, a combination the API forbids is a 422 on `ListOptions.meta.k8s.io`.
 */
import { fieldsMatch, parseFieldSelector, type FieldRequirement } from './field-selector';
import { labelsMatch, parseLabelSelector, SelectorParseError, type LabelRequirement } from './label-selector';
import { parseBooleanParameter } from './request-info';
import type { KubeObject, ResourceType } from './resources';
import { badRequestStatus, invalidListOptionsStatus, type KubeStatus } from './status';

export interface ListOptions {
  watch: boolean;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  /** 0 when not paginating. */
  limit: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
}

export function hasSelectors(options: ListOptions): boolean {
  return options.labels.length > 0 || options.fields.length > 0;
}

/** Whether a stored object is in `namespace` ("" for all) and matches the selectors. */
export function selects(options: ListOptions, type: ResourceType, namespace: string, stored: KubeObject): boolean {
  if (namespace && stored.metadata.namespace !== namespace) return false;
  return labelsMatch(options.labels, stored.metadata.labels) && fieldsMatch(options.fields, type, stored);
}

function integerParameter(query: URLSearchParams, name: string): number | undefined | KubeStatus {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) return badRequestStatus(`${name}: invalid value ${JSON.stringify(value)}: strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  return Number(value);
}

function forbidden(field: string, detail: string) {
  return { field, body: `Forbidden: ${detail}` };
}

function notSupported(field: string, value: string, supported: string[]) {
  return { field, body: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((item) => JSON.stringify(item)).join(', ')}` };
}

export function readListOptions(query: URLSearchParams, type: ResourceType, watch: boolean): ListOptions | KubeStatus {
  let labels: LabelRequirement[];
  let fields: FieldRequirement[];
  try {
    labels = parseLabelSelector(query.get('labelSelector') ?? '');
    fields = parseFieldSelector(query.get('fieldSelector') ?? '', type);
  } catch (error) {
    if (error instanceof SelectorParseError) return badRequestStatus(error.message);
    throw error;
  }
  const limit = integerParameter(query, 'limit');
  if (typeof limit === 'object') return limit;
  const timeoutSeconds = integerParameter(query, 'timeoutSeconds');
  if (typeof timeoutSeconds === 'object') return timeoutSeconds;

  const options: ListOptions = {
    watch,
    labels,
    fields,
    limit: limit !== undefined && limit > 0 ? limit : 0,
    continueToken: query.get('continue') || undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') || undefined,
    timeoutSeconds,
    allowWatchBookmarks: parseBooleanParameter(query.get('allowWatchBookmarks')) === true,
    sendInitialEvents: parseBooleanParameter(query.get('sendInitialEvents')),
  };
  if (options.resourceVersion === '') options.resourceVersion = undefined;

  const errors: Array<{ field: string; body: string }> = [];
  const match = options.resourceVersionMatch;
  if (watch) {
    if (options.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
      errors.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
    }
    if (match) {
      if (options.sendInitialEvents === undefined) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
      if (match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
      if (options.continueToken) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    }
  } else {
    if (match) {
      if (options.resourceVersion === undefined) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
      if (options.continueToken) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
      if (match !== 'Exact' && match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
      if (match === 'Exact' && options.resourceVersion === '0') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
    }
    if (options.sendInitialEvents !== undefined) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  }
  if (errors.length > 0) return invalidListOptionsStatus(errors);
  return options;
}
