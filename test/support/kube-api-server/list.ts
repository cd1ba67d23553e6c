/**
 * LIST, with the resourceVersion semantics of "API Concepts": unset is the most recent state,
 * "0" any state (here: the most recent), a value "not older than" it, or exactly it when
 * paginating or with resourceVersionMatch=Exact. Pagination (limit/continue) reads one consistent
 * snapshot: every page reports the first page's resourceVersion, objects written after it do not
 * appear, and a continue token whose revision has been compacted away is 410 Expired, with a fresh
 * token in the Status to carry on inconsistently. Like etcd-backed lists, a page may hold fewer
 * items than the limit when selectors filter (even none, with a continue token), and
 * remainingItemCount is only given without selectors.
 *
 * Items come without kind and apiVersion, as kube-apiserver serves typed lists.
 */
import type { ListOptions } from './list-options';
import { hasSelectors, selects } from './list-options';
import type { ObjectStore } from './object-store';
import { apiVersionOf, type KubeObject, type ResourceType } from './resources';
import { badRequestStatus, expiredStatus, tooLargeResourceVersionStatus, type KubeStatus } from './status';

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(revision: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start }), 'utf8').toString('base64url');
}

function decodeContinue(token: string): ContinueToken | string {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return 'continue key is not valid: illegal base64 data or JSON';
  }
  const candidate = decoded as Partial<ContinueToken>;
  if (candidate?.v !== 'meta.k8s.io/v1') return 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
  if (typeof candidate.rv !== 'number' || candidate.rv <= 0) return 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)';
  if (typeof candidate.start !== 'string' || candidate.start.length === 0) return 'continue key is not valid: encoded start key empty';
  return candidate as ContinueToken;
}

/** The object as this API version presents it, with kind and apiVersion first as Go writes them. */
export function presentObject(type: ResourceType, stored: KubeObject, withTypeMeta: boolean): KubeObject {
  const rest = { ...(type.present ? type.present(stored) : stored) };
  delete rest.kind;
  delete rest.apiVersion;
  return withTypeMeta ? { kind: type.kind, apiVersion: apiVersionOf(type), ...rest } : rest;
}

export interface ListTiming {
  /** How long a list at a resourceVersion not reached yet waits before its 504 (kube-apiserver: 3 s). */
  tooLargeResourceVersionWaitMs: number;
}

async function waitForRevision(store: ObjectStore, revision: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (store.revision < revision) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
  return true;
}

function parseRevision(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Serves a list: the List object, or the Status of why not. */
export async function listCollection(store: ObjectStore, type: ResourceType, namespace: string, options: ListOptions, timing: ListTiming): Promise<object | KubeStatus> {
  let revision = store.revision;
  let startAfter = '';

  if (options.continueToken) {
    if (options.resourceVersion !== undefined && options.resourceVersion !== '0') {
      return badRequestStatus('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(options.continueToken);
    if (typeof token === 'string') return badRequestStatus(token);
    if (token.rv < store.compactedRevision) {
      return expiredStatus(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        encodeContinue(store.revision, token.start),
      );
    }
    if (token.rv > store.revision) return badRequestStatus('continue key is not valid: resource version is newer than the server has');
    revision = token.rv;
    startAfter = token.start;
  } else if (options.resourceVersion !== undefined && options.resourceVersion !== '0') {
    const requested = parseRevision(options.resourceVersion);
    if (requested === undefined) return badRequestStatus(`invalid resource version: ${JSON.stringify(options.resourceVersion)}`);
    if (requested > store.revision && !(await waitForRevision(store, requested, timing.tooLargeResourceVersionWaitMs))) {
      return tooLargeResourceVersionStatus(requested, store.revision);
    }
    const exact = options.resourceVersionMatch === 'Exact' || (options.limit > 0 && options.resourceVersionMatch !== 'NotOlderThan');
    if (exact) {
      if (requested < store.compactedRevision) return expiredStatus('The resourceVersion for the provided list is too old.');
      revision = requested;
    } else {
      revision = store.revision;
    }
  }

  const objects = store.objectsAt(type.storage, revision) ?? [];
  const items: KubeObject[] = [];
  let lastKey = '';
  let remaining = 0;
  let hasMore = false;
  for (const [key, stored] of objects) {
    if (startAfter && key < startAfter) continue;
    if (namespace && stored.metadata.namespace !== namespace) continue;
    if (options.limit > 0 && items.length >= options.limit) {
      hasMore = true;
      remaining += 1;
      continue;
    }
    lastKey = key;
    if (selects(options, type, '', stored)) items.push(presentObject(type, stored, false));
  }

  const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
  if (hasMore) {
    // The next page starts just after the last key examined, as etcd's range does.
    metadata.continue = encodeContinue(revision, `${lastKey}\u0000`);
    if (!hasSelectors(options)) metadata.remainingItemCount = remaining;
  }
  return { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata, items };
}
