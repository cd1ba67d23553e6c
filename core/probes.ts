/**
 * Container probes as the kubelet runs them: a container's startup, readiness and liveness
 * probes, their timing with the API defaults filled in, and the handler (what a probe checks).
 * The probe rules read probes through this so that the defaults are written down once; and the
 * startup probe that missing-startup-probe's fix and `podstart generate startup-probe`
 * (core/generate/startup-probe.ts) add is planned and written here, so that both write the same.
 */
import { isAlias, isMap, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { lineEndingOf, type ChunkEditor } from './edits';
import type { TextEdit } from './types';
import type { Workload } from './workload';
import { getMap, getNumber, getPair, resolveNode } from './yaml-nodes';

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

/** The annotation (on the pod template or the object) that says how long a start may take, for a startup probe's budget. */
export const EXPECTED_START_ANNOTATION = 'podstart.dev/expected-start-seconds';

/** The larger of the expected-start annotations on the pod template and on the object (0 when neither is set). */
export function annotatedStartSeconds(workload: Workload): number {
  const { doc } = workload;
  const values = [workload.podTemplateMetadata, workload.metadata].map((metadata) => getNumber(doc, getMap(doc, metadata, 'annotations'), EXPECTED_START_ANNOTATION));
  return Math.max(0, ...values.filter((value): value is number => value !== undefined && value >= 0));
}

/** A startup probe polls at most this far apart, so that Ready follows the app within seconds. */
export const STARTUP_PERIOD_SECONDS = 5;
/**
 * The smallest start budget a written startup probe gets: what a liveness probe with the defaults
 * (3 failures, 10 s apart, the first one at once) already tolerates, and room for a cold node or a
 * busy registry.
 */
export const MIN_START_BUDGET_SECONDS = 30;

/** The startup probe to write, and why its numbers are what they are. */
export interface StartupProbePlan {
  /** The probe whose handler the startup probe copies: readiness, which says when the app can serve, else liveness. */
  source?: ContainerProbe;
  /** Probes whose `initialDelaySeconds` the edit removes: the startup probe now holds them back. */
  delayed: ContainerProbe[];
  periodSeconds: number;
  failureThreshold: number;
  /** failureThreshold × periodSeconds: how long a start may take before the kubelet restarts it. */
  budgetSeconds: number;
}

/**
 * The budget is twice the longest start anyone wrote down (the removed delays, an expected start
 * time), never less than what the old liveness probe tolerated before killing a start, and at
 * least 30 s. A generous budget costs nothing on a healthy start, because the probe succeeds as
 * soon as the app answers; it only postpones the restart of a start that hangs. A tight one turns a
 * slow start on a busy node into a crash loop.
 */
export function planStartupProbe({ liveness, readiness, expectedStart }: { liveness?: ContainerProbe; readiness?: ContainerProbe; expectedStart: number }): StartupProbePlan {
  const delayed = [readiness, liveness].filter((probe): probe is ContainerProbe => probe?.delayPair !== undefined && probe.initialDelaySeconds > 0);
  const source = readiness && probeHandler(readiness) ? readiness : liveness && probeHandler(liveness) ? liveness : undefined;
  const periodSeconds = Math.min(source?.periodSeconds ?? STARTUP_PERIOD_SECONDS, STARTUP_PERIOD_SECONDS);
  const longestStart = Math.max(expectedStart, ...delayed.map((probe) => probe.initialDelaySeconds));
  const wanted = Math.max(2 * longestStart, liveness ? livenessKillSeconds(liveness) : 0, MIN_START_BUDGET_SECONDS);
  const failureThreshold = Math.ceil(wanted / periodSeconds);
  return { source, delayed, periodSeconds, failureThreshold, budgetSeconds: failureThreshold * periodSeconds };
}

/**
 * The edits that add the planned startup probe to a container: inserted after the probe it copies,
 * with that probe's handler lines exactly as written (comments and quoting kept; they sit at the
 * same depth under `startupProbe:`), and the delays it replaces removed. Undefined when the
 * container or the probes are written so that a line-based edit could damage them (flow style,
 * anchors and aliases, a key sharing its line), and then nothing is offered rather than a wrong edit.
 */
export function addStartupProbeEdits(edit: ChunkEditor, container: YAMLMap, plan: StartupProbePlan): TextEdit[] | undefined {
  const { source } = plan;
  const handler = source && probeHandler(source);
  if (!source || !handler || container.flow) return undefined;
  if ([source, ...plan.delayed].some((probe) => !probe.editable)) return undefined;
  const handlerLines = entryLines(edit, handler);
  const keyStart = (source.pair.key as Node).range?.[0];
  const handlerStart = (handler.key as Node).range?.[0];
  if (!handlerLines || keyStart === undefined || handlerStart === undefined) return undefined;
  const keyColumn = edit.columnOf(edit.abs(keyStart));
  const childColumn = edit.columnOf(edit.abs(handlerStart));
  if (childColumn <= keyColumn) return undefined;

  // Placed where an entry after the source probe goes; the text is built here so the handler lines keep their own indentation.
  const placement = edit.insertAfterPair(container, source.pair, ['startupProbe:']);
  if (!placement) return undefined;
  const eol = lineEndingOf(edit.text);
  const childIndent = ' '.repeat(childColumn);
  const timeout = getPair(source.map, 'timeoutSeconds');
  const timeoutValue = timeout?.value?.range ? edit.text.slice(edit.abs(timeout.value.range[0]), edit.abs(timeout.value.range[1])) : undefined;
  const lines = [
    `${' '.repeat(keyColumn)}startupProbe:`,
    ...handlerLines,
    // A slow endpoint keeps its timeout: at the default 1 s it would fail every check and the start would be killed.
    ...(timeoutValue !== undefined ? [`${childIndent}timeoutSeconds: ${timeoutValue}`] : []),
    `${childIndent}periodSeconds: ${plan.periodSeconds}`,
    `${childIndent}failureThreshold: ${plan.failureThreshold}`,
  ];
  const removals: TextEdit[] = [];
  for (const probe of plan.delayed) {
    // A probe whose only entry is the delay has no handler; removing the line would leave `readinessProbe:` null.
    const removal = probe.map.items.length > 1 ? edit.removePair(probe.map, probe.delayPair!) : undefined;
    if (!removal) return undefined;
    removals.push(removal);
  }
  // At the end of a file without a final newline, the new lines need one before them, unless the
  // removed delay was that last line and the line before it already ends with one.
  const textBefore = removals.find((removal) => removal.end === placement.start)?.start ?? placement.start;
  const needsNewline = placement.start === edit.text.length && textBefore > 0 && edit.text[textBefore - 1] !== '\n';
  const insert: TextEdit = { start: placement.start, end: placement.end, newText: (needsNewline ? eol : '') + lines.join(eol) + eol };
  return [...removals, insert];
}
