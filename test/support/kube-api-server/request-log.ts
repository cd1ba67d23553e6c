/**
 * Every request the test server received, in order: what was asked (method, path, query, the
 * Kubernetes verb and resource), by whom, and how it was answered. Credentials are never recorded.
 */
import type { AuthenticatedUser } from './authentication';
import type { Fault } from './faults';
import type { RequestInfo } from './request-info';

export interface RecordedRequest {
  method: string;
  /** The path, percent-decoded. */
  path: string;
  query: Record<string, string>;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  /** `pods`, `nodes/proxy`; undefined for non-resource paths (discovery, /version). */
  resource?: string;
  group?: string;
  namespace?: string;
  name?: string;
  /** Undefined when the request was not authenticated. */
  user?: string;
  groups?: string[];
  authenticatedBy?: AuthenticatedUser['authenticatedBy'];
  userAgent?: string;
  /** The faults that applied to it. */
  faults: Array<Fault['kind']>;
  /** The HTTP status sent, once the response has started (undefined for a reset or a hang). */
  status?: number;
}

export class RequestLog {
  private readonly recorded: RecordedRequest[] = [];

  get all(): readonly RecordedRequest[] {
    return this.recorded;
  }

  record(method: string, query: URLSearchParams, info: RequestInfo, user: AuthenticatedUser | undefined, userAgent: string | undefined): RecordedRequest {
    const entry: RecordedRequest = {
      method,
      path: info.path,
      query: Object.fromEntries(query.entries()),
      verb: info.verb,
      faults: [],
      userAgent,
    };
    if (info.isResourceRequest) {
      entry.resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
      entry.group = info.group;
      if (info.namespace) entry.namespace = info.namespace;
      if (info.name) entry.name = info.name;
    }
    if (user) {
      entry.user = user.name;
      entry.groups = user.groups;
      entry.authenticatedBy = user.authenticatedBy;
    }
    this.recorded.push(entry);
    return entry;
  }

  clear(): void {
    this.recorded.length = 0;
  }
}
