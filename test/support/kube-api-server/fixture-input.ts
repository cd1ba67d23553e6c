/**
 * Fixtures as people capture them: single objects, arrays of objects, `kubectl get -o json` output
 * (a `List` whose items carry kind and apiVersion) or a raw API list (`PodList`, whose items do
 * not: they take the list's apiVersion and the kind without `List`). JSON files hold any of these.
 */
import { readFileSync } from 'node:fs';
import type { KubeObject } from './resources';

export type FixtureInput = KubeObject | KubeObject[] | { kind: string; apiVersion?: string; items: KubeObject[] };

function isList(input: unknown): input is { kind: string; apiVersion?: string; items: KubeObject[] } {
  return typeof input === 'object' && input !== null && Array.isArray((input as { items?: unknown }).items);
}

/** Flattens fixture input into objects that all have apiVersion and kind. */
export function fixtureObjects(input: FixtureInput): KubeObject[] {
  if (Array.isArray(input)) return input.flatMap((item) => fixtureObjects(item));
  if (isList(input)) {
    const itemKind = input.kind.endsWith('List') && input.kind !== 'List' ? input.kind.slice(0, -'List'.length) : undefined;
    return input.items.map((item) => ({
      ...item,
      apiVersion: item.apiVersion ?? input.apiVersion,
      kind: item.kind ?? itemKind,
    }));
  }
  return [input];
}

/** Reads a JSON fixture file (an object, an array or a list). */
export function readFixtureFile(path: string): KubeObject[] {
  return fixtureObjects(JSON.parse(readFileSync(path, 'utf8')) as FixtureInput);
}
