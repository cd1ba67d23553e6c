/**
 * "Valid for Kubernetes" as far as the API's own models tell: @kubernetes/client-node's models are
 * generated from the Kubernetes OpenAPI specification, and its ObjectSerializer keeps only the fields
 * a model declares. An object that comes back from deserialize-then-serialize unchanged has no
 * misspelt or misplaced field and every value of the declared shape (a map stays a map, a list a list).
 * client-node 1.4 is ESM only; the serializer is loaded once with a dynamic import.
 */
import assert from 'node:assert/strict';
import type * as Models from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js' with { 'resolution-mode': 'import' };

let serializer: typeof Models.ObjectSerializer | undefined;

export async function loadSerializer(): Promise<void> {
  serializer ??= (await import('@kubernetes/client-node/dist/gen/models/ObjectSerializer.js')).ObjectSerializer;
}

/** The client-node model of a built-in object: `apps/v1` DaemonSet → `V1DaemonSet`. */
export function modelOf(object: { apiVersion?: unknown; kind?: unknown }): string {
  const version = String(object.apiVersion ?? '').split('/').pop()!;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${String(object.kind)}`;
}

/** The paths where `after` differs from `before`: a field the model dropped, or a value it changed. */
function differences(before: unknown, after: unknown, at = ''): string[] {
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(before) !== Array.isArray(after)) return [at || '/'];
    const keys = new Set([...Object.keys(before), ...Object.keys(after as object)]);
    return [...keys].flatMap((key) => differences((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], `${at}/${key}`));
  }
  return Object.is(before, after) ? [] : [at || '/'];
}

/** Asserts that the object survives the round trip through its generated model. */
export function assertKubernetesObject(object: Record<string, unknown>): void {
  assert.ok(serializer, 'loadSerializer() first');
  const type = modelOf(object);
  // The serializer passes data of a type it has no model for through unchanged: make sure this one has a model.
  const probe = serializer.serialize(serializer.deserialize({ notAKubernetesField: 1 }, type, ''), type, '') as Record<string, unknown>;
  assert.equal(probe.notAKubernetesField, undefined, `client-node has no model ${type}`);
  const back = serializer.serialize(serializer.deserialize(object, type, ''), type, '') as unknown;
  assert.deepEqual(differences(object, back), [], `${type} ${JSON.stringify((object.metadata as { name?: string } | undefined)?.name)} loses or changes these fields in the Kubernetes model`);
}
