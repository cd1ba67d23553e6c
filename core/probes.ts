/**
 * Container probes as the kubelet runs them: a container's startup, readiness and liveness
 * probes, their timing with the API defaults filled in, and the handler (what a probe checks).
 * The probe rules read probes through this so that the defaults are written down once.
 */
import { isAlias, isMap, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ChunkEditor } from './edits';
import { getNumber, getPair, resolveNode } from './yaml-nodes';

export type ProbeField = 'startupProbe' | 'readinessProbe' | 'livenessProbe';

/**
 * The Probe v1 defaults (Kubernetes documentation, "Configure Liveness, Readiness and Startup
 * Probes", section "Configure Probes", and the API reference): the first check runs as soon as
 * the container has started, then one every 10 s, and 3 failures in a row count as failed.
 */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 } as const;

/** The keys that say what a probe checks; a probe has exactly one. */
export const PROBE_HANDLER_KEYS: readonly string[] = ['httpGet', 'tcpSocket', 'grpc', 'exec'];

export interface ContainerProbe {
  field: ProbeField;
  /** The `readinessProbe: ...` entry of the container. */
  pair: Pair<Node, Node>;
  /** The probe's map, aliases resolved. */
  map: YAMLMap;
  /** The map is written in place (not reached through an alias, not anchored for reuse): an edit changes this probe only. */
  editable: boolean;
  /** The `initialDelaySeconds` entry, when the probe sets one. */
  delayPair?: Pair<Node, Node>;
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
}

/** A number of seconds or a count as the API server would take it; anything else falls back to the default. */
function field(doc: Document, map: YAMLMap, key: string, fallback: number, minimum: number): number {
  const value = getNumber(doc, map, key);
  return value !== undefined && Number.isInteger(value) && value >= minimum ? value : fallback;
}

export function containerProbe(doc: Document, container: YAMLMap, probeField: ProbeField): ContainerProbe | undefined {
  const pair = getPair(container, probeField);
  const map = resolveNode(doc, pair?.value);
  if (!pair || !isMap(map)) return undefined;
  return {
    field: probeField,
    pair,
    map,
    editable: !isAlias(pair.value) && !map.anchor && !map.flow,
    delayPair: getPair(map, 'initialDelaySeconds'),
    initialDelaySeconds: field(doc, map, 'initialDelaySeconds', PROBE_DEFAULTS.initialDelaySeconds, 0),
    periodSeconds: field(doc, map, 'periodSeconds', PROBE_DEFAULTS.periodSeconds, 1),
    failureThreshold: field(doc, map, 'failureThreshold', PROBE_DEFAULTS.failureThreshold, 1),
  };
}

/** The `httpGet:` / `tcpSocket:` / `grpc:` / `exec:` entry of a probe. */
export function probeHandler(probe: ContainerProbe): Pair<Node, Node> | undefined {
  return PROBE_HANDLER_KEYS.map((key) => getPair(probe.map, key)).find((pair) => pair !== undefined);
}

/**
 * When the kubelet gives up on a start under a liveness probe without a startup probe: the first
 * check after `initialDelaySeconds`, then `failureThreshold - 1` more one period apart.
 */
export function livenessKillSeconds(liveness: ContainerProbe): number {
  return liveness.initialDelaySeconds + (liveness.failureThreshold - 1) * liveness.periodSeconds;
}

/**
 * The whole lines of a block-map entry, as written (indentation, comments and all), from its key's
 * line to the line its value ends on. Undefined when the key does not begin its line (a flow map,
 * or an entry sharing its line with a sequence dash), where copying lines would copy other text.
 */
export function entryLines(edit: ChunkEditor, pair: Pair): string[] | undefined {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (!key?.range || !value?.range) return undefined;
  const keyStart = edit.abs(key.range[0]);
  const lineStart = edit.text.lastIndexOf('\n', keyStart - 1) + 1;
  if (edit.text.slice(lineStart, keyStart).trim() !== '') return undefined;
  // A block collection's range runs to where the next entry begins: step back over the blank space.
  let valueEnd = edit.abs(value.range[1]);
  while (valueEnd > keyStart && /\s/.test(edit.text[valueEnd - 1] ?? '')) valueEnd--;
  const newline = edit.text.indexOf('\n', valueEnd);
  const lineEnd = newline === -1 ? edit.text.length : newline;
  return edit.text.slice(lineStart, lineEnd).split('\n').map((line) => line.replace(/\r$/, ''));
}
