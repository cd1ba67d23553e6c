/**
 * What a request asks for, read from its method, path and query the way kube-apiserver's
 * RequestInfoFactory reads them: a resource request (verb, group, version, namespace, resource,
 * subresource, name) or a non-resource request (discovery, /version, /healthz). Authorization and
 * routing both work from this, so that a 403 names exactly what RBAC would.
 */

export interface ResourceRequestInfo {
  isResourceRequest: true;
  /** get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  path: string;
  group: string;
  version: string;
  /** "" when the request is not scoped to a namespace (cluster-scoped or all namespaces). */
  namespace: string;
  resource: string;
  subresource: string;
  /** The name authorization uses: the path's, or the one a list or watch pins with `metadata.name=`. */
  name: string;
  /** The name in the path ("" for collections). */
  pathName: string;
  /** What follows the subresource: the kubelet path of a node proxy request. */
  subpath: string;
  /** True when the path had a trailing slash after the subpath (`/proxy/`). */
  trailingSlash: boolean;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const VERB_BY_METHOD: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Go's strconv.ParseBool, which the API's query parameter decoding uses. */
export function parseBooleanParameter(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

function isValidPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** The name a field selector pins with `metadata.name=` or `==` alone in its term. */
function nameFromFieldSelector(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const match = /^\s*metadata\.name\s*==?(.*)$/.exec(term);
    if (match && !match[1].includes('\\')) return match[1];
  }
  return undefined;
}

/** Reads a request; `decodedPath` is the URL path already percent-decoded, as Go's URL.Path is. */
export function readRequestInfo(method: string, decodedPath: string, query: URLSearchParams): RequestInfo {
  const httpVerb = VERB_BY_METHOD[method] ?? method.toLowerCase();
  const nonResource: NonResourceRequestInfo = { isResourceRequest: false, verb: httpVerb, path: decodedPath };
  const trailingSlash = decodedPath.length > 1 && decodedPath.endsWith('/');
  let parts = decodedPath.split('/').filter((part) => part !== '');
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  const grouped = parts[0] === 'apis';
  parts = parts.slice(1);
  let group = '';
  if (grouped) {
    if (parts.length < 3) return nonResource;
    group = parts[0];
    parts = parts.slice(1);
  }
  const version = parts[0];
  parts = parts.slice(1);

  let verb = httpVerb;
  let verbFromMethod = true;
  if (parts[0] === 'watch' && parts.length >= 2) {
    // The deprecated /api/v1/watch/... form.
    verb = 'watch';
    verbFromMethod = false;
    parts = parts.slice(1);
  }

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }

  const resource = parts[0] ?? '';
  const pathName = parts[1] ?? '';
  let name = pathName;
  const subresource = parts[2] ?? '';
  const subpath = parts.slice(3).join('/');

  if (verbFromMethod && name === '' && verb === 'get') {
    verb = parseBooleanParameter(query.get('watch')) ? 'watch' : 'list';
  }
  if (name === '' && (verb === 'list' || verb === 'watch')) {
    // kube-apiserver authorizes a list or watch of one named object with that name.
    const pinned = nameFromFieldSelector(query.get('fieldSelector'));
    if (pinned !== undefined && isValidPathSegmentName(pinned)) name = pinned;
  }
  if (verbFromMethod && name === '' && verb === 'delete') verb = 'deletecollection';

  return { isResourceRequest: true, verb, path: decodedPath, group, version, namespace, resource, subresource, name, pathName, subpath, trailingSlash };
}
