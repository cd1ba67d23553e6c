/**
 * The `Status` objects kube-apiserver answers errors with (meta/v1 Status), built as
 * k8s.io/apimachinery/pkg/api/errors builds them, with the same messages, reasons and details,
 * and the same key order as the Go encoder writes (kind, apiVersion, metadata, status, message,
 * reason, details, code).
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A group and resource as errors name them: `pods`, `deployments.apps`. */
export interface GroupResource {
  group: string;
  resource: string;
}

export function qualifiedResourceName({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

function status(code: number, reason: string, message: string, details?: StatusDetails): KubeStatus {
  if (!details) return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  // Go omits the empty fields of StatusDetails; a Details with none left still serialises as `{}`.
  const compact: StatusDetails = {};
  if (details.name) compact.name = details.name;
  if (details.group) compact.group = details.group;
  if (details.kind) compact.kind = details.kind;
  if (details.causes?.length) compact.causes = details.causes;
  if (details.retryAfterSeconds) compact.retryAfterSeconds = details.retryAfterSeconds;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: compact, code };
}

function detailsFor(resource: GroupResource | undefined, name?: string): StatusDetails {
  return { name, group: resource?.group, kind: resource?.resource };
}

/** 401 for a missing or rejected credential (the authenticator's answer is always "Unauthorized"). */
export function unauthorizedStatus(): KubeStatus {
  return status(401, 'Unauthorized', 'Unauthorized');
}

/** 403 with the message of the authorization filter, e.g. `pods is forbidden: User "x" cannot list …`. */
export function forbiddenStatus(resource: GroupResource | undefined, name: string | undefined, reason: string): KubeStatus {
  let message: string;
  if (!resource || !resource.resource) message = `forbidden: ${reason}`;
  else if (!name) message = `${qualifiedResourceName(resource)} is forbidden: ${reason}`;
  else message = `${qualifiedResourceName(resource)} ${JSON.stringify(name)} is forbidden: ${reason}`;
  return status(403, 'Forbidden', message, detailsFor(resource, name));
}

export function notFoundStatus(resource: GroupResource, name: string): KubeStatus {
  return status(404, 'NotFound', `${qualifiedResourceName(resource)} ${JSON.stringify(name)} not found`, detailsFor(resource, name));
}

/** 404 for a path under a served group version that names no resource. */
export function resourceNotFoundStatus(): KubeStatus {
  return status(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function badRequestStatus(message: string): KubeStatus {
  return status(400, 'BadRequest', message);
}

/**
 * 422 for invalid list options, as `errors.NewInvalid(GroupKind{meta.k8s.io, ListOptions}, "", errs)`;
 * each error's body is what field.Error.ErrorBody() gives (`Forbidden: …`, `Unsupported value: …`).
 */
export function invalidListOptionsStatus(errors: Array<{ field: string; body: string }>): KubeStatus {
  const messages = errors.map((error) => `${error.field}: ${error.body}`);
  const aggregated = messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
  return status(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${aggregated}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: errors.map((error) => ({
      reason: error.body.startsWith('Forbidden') ? 'FieldValueForbidden' : 'FieldValueNotSupported',
      message: error.body,
      field: error.field,
    })),
  });
}

/** 410 Expired: a resourceVersion or continue token older than the server keeps. */
export function expiredStatus(message: string, continueToken?: string): KubeStatus {
  const result = status(410, 'Expired', message);
  if (continueToken) result.metadata = { continue: continueToken };
  return result;
}

export function tooOldWatchResourceVersionStatus(requested: number, oldestAvailable: number): KubeStatus {
  return expiredStatus(`too old resource version: ${requested} (${oldestAvailable})`);
}

/** 504 for a list at a resourceVersion the server has not reached (storage.NewTooLargeResourceVersionError). */
export function tooLargeResourceVersionStatus(requested: number, current: number): KubeStatus {
  return status(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

/** 500 InternalError, as `errors.NewInternalError(err)`. */
export function internalErrorStatus(cause: string): KubeStatus {
  return status(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

/** 405 for a verb the resource does not support (this test server serves reads only). */
export function methodNotSupportedStatus(resource: GroupResource, verb: string): KubeStatus {
  return status(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind ${JSON.stringify(qualifiedResourceName(resource))}`, detailsFor(resource));
}

/** 503 from the API server's proxy when the kubelet cannot be reached. */
export function serviceUnavailableStatus(message: string): KubeStatus {
  return status(503, 'ServiceUnavailable', message);
}

/** Any other code, with the reason kube-apiserver gives it (for fault injection). */
export function statusForCode(code: number, message?: string): KubeStatus {
  switch (code) {
    case 500:
      return internalErrorStatus(message ?? 'injected fault');
    case 503:
      return serviceUnavailableStatus(message ?? 'the server is currently unable to handle the request');
    case 429:
      return status(429, 'TooManyRequests', message ?? 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    case 504:
      return status(504, 'Timeout', message ?? 'Timeout: request did not complete within requested timeout - context deadline exceeded', {});
    default:
      return status(code, code >= 500 ? 'InternalError' : 'BadRequest', message ?? `injected ${code}`);
  }
}
