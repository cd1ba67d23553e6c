/**
 * "Add a startupProbe from the readiness probe": the text edits that give a container a startup
 * probe with its readiness probe's handler, for `podstart generate startup-probe` and the editor
 * command (core/generate/run-startup-probe.ts applies them).
 *
 *   startupProbeEdits(text, { container?, offset?, kubernetesVersion, expectedStartSeconds? })
 *     → { edits, notes }
 *
 * - Which containers: `container` names them (in every workload of the file); else `offset` (the
 *   editor's cursor, a 0-based offset in `text`) picks the container it falls in, or every
 *   container of the workload it falls in; else every container of the file. Only app containers
 *   and native sidecars qualify (init containers cannot have probes), and only those with a
 *   readiness probe and no startup probe; each one passed over gets a note saying why.
 * - What is written is what missing-startup-probe's fix writes (core/probes.ts): the readiness
 *   handler's lines as written (comments and quoting kept) under `startupProbe:` right after the
 *   readiness probe, its timeoutSeconds, `periodSeconds` of at most 5, and a `failureThreshold`
 *   for a start budget of twice the longest start written down (an `initialDelaySeconds`, the
 *   `podstart.dev/expected-start-seconds` annotation, `expectedStartSeconds`), at least what the
 *   liveness probe tolerated and at least 30 s. The readiness probe stays; the
 *   `initialDelaySeconds` of the readiness and liveness probes go, since the startup probe now holds
 *   them back until the app is up (a delay left there would only postpone Ready).
 * - Edits are minimal and never overlap; applied together they leave the rest of the file as it was.
 */
import { isTemplatedChunk, detectTemplate } from '../templates';
import { ChunkEditor } from '../edits';
import { parseKubernetesVersion, supports, FEATURE_RELEASES } from '../kubernetes-version';
import { addStartupProbeEdits, annotatedStartSeconds, containerProbe, planStartupProbe, probeHandler } from '../probes';
import type { TextEdit } from '../types';
import { findWorkloads, WORKLOAD_KIND_NAMES, type ContainerRef, type Workload } from '../workload';
import { DocumentParseCache } from '../yaml-documents';
import { getPair, keyText } from '../yaml-nodes';

export interface StartupProbeOptions {
  /** Only containers of this name. */
  container?: string;
  /** A 0-based offset in the text (the editor's cursor): the container there, or every container of the workload there. */
  offset?: number;
  /** `1.34`: startup probes need 1.20 or later. */
  kubernetesVersion: string;
  /** How long a start may take, in seconds, for the probe's budget (the annotation on the workload counts too). */
  expectedStartSeconds?: number;
}

export interface StartupProbeEdits {
  /** Non-overlapping edits of `text`; empty when nothing was added. */
  edits: TextEdit[];
  /** One sentence per container considered: what was added, or why nothing was. */
  notes: string[];
}

interface Candidate {
  workload: Workload;
  container: ContainerRef;
  editor: ChunkEditor;
}

export function startupProbeEdits(text: string, options: StartupProbeOptions): StartupProbeEdits {
  const version = parseKubernetesVersion(options.kubernetesVersion);
  if (!version) return { edits: [], notes: [`"${options.kubernetesVersion}" is not a Kubernetes release such as 1.33.`] };
  if (!supports(version, 'startupProbe')) {
    return { edits: [], notes: [`Kubernetes ${version.major}.${version.minor} has no generally available startup probe (from ${FEATURE_RELEASES.startupProbe}); nothing was added.`] };
  }
  const template = detectTemplate(text);
  const chunks = template ? [] : new DocumentParseCache().parse(text, (kind) => kind === undefined || WORKLOAD_KIND_NAMES.has(kind));
  if (template || chunks.some(isTemplatedChunk)) return { edits: [], notes: ['This is a template, not the YAML the cluster receives; nothing was added. Edit the rendered manifest, or the template by hand.'] };

  const all: Candidate[] = chunks.flatMap((chunk) => {
    if (!chunk.doc || chunk.errors.length > 0) return [];
    const editor = new ChunkEditor(text, chunk.start);
    return findWorkloads(chunk.doc).flatMap((workload) =>
      // Init containers run to completion and cannot have probes; ephemeral containers cannot either; a container without an image is a patch.
      workload.containers.filter((container) => (container.kind === 'container' || container.kind === 'sidecar') && !container.partial).map((container) => ({ workload, container, editor })),
    );
  });
  const chosen = choose(all, options);
  if (chosen.length === 0) return { edits: [], notes: [nothingChosen(options)] };

  const edits: TextEdit[] = [];
  const notes: string[] = [];
  for (const { workload, container, editor } of chosen) {
    const name = `container ${container.name} of ${workload.kind} ${workload.name}`;
    const { doc } = workload;
    if (getPair(container.node, 'startupProbe')) {
      notes.push(`${capitalise(name)} already has a startupProbe.`);
      continue;
    }
    const readiness = containerProbe(doc, container.node, 'readinessProbe');
    if (!readiness || !probeHandler(readiness)) {
      notes.push(`${capitalise(name)} has no readinessProbe${readiness ? ' handler (httpGet, tcpSocket, grpc or exec)' : ''} to derive a startup probe from.`);
      continue;
    }
    const liveness = containerProbe(doc, container.node, 'livenessProbe');
    const expectedStart = Math.max(nonNegative(options.expectedStartSeconds), annotatedStartSeconds(workload));
    const plan = planStartupProbe({ readiness, liveness, expectedStart });
    const added = addStartupProbeEdits(editor, container.node, plan);
    if (!added) {
      notes.push(`${capitalise(name)}: its probes are written in a form Podstart does not edit line by line (flow style, an anchor or alias, a key sharing its line); add the startupProbe by hand.`);
      continue;
    }
    edits.push(...added);
    const removed = plan.delayed.map((probe) => probe.field);
    notes.push(
      `Added a startupProbe to ${name}: the readinessProbe's ${keyText(probeHandler(readiness)!)} check every ${plan.periodSeconds} s, failureThreshold ${plan.failureThreshold}, so a start may take up to ${plan.budgetSeconds} s before the kubelet restarts it.${removed.length > 0 ? ` Removed initialDelaySeconds from the ${removed.join(' and ')}: the startup probe holds ${removed.length > 1 ? 'them' : 'it'} back until the app is up.` : ''}`,
    );
  }
  return { edits, notes };
}

/** The containers the options point at. */
function choose(all: Candidate[], options: StartupProbeOptions): Candidate[] {
  if (options.container !== undefined) return all.filter((candidate) => candidate.container.name === options.container);
  const { offset } = options;
  if (offset === undefined) return all;
  const within = (range: [number, number, number?] | undefined, editor: ChunkEditor) => range !== undefined && editor.abs(range[0]) <= offset && offset <= editor.abs(range[1]);
  const atContainer = all.filter((candidate) => within(candidate.container.node.range as [number, number] | undefined, candidate.editor));
  if (atContainer.length > 0) return atContainer;
  return all.filter((candidate) => within(candidate.workload.root.range as [number, number] | undefined, candidate.editor));
}

function nothingChosen(options: StartupProbeOptions): string {
  if (options.container !== undefined) return `No container named ${options.container} that can have probes in this file.`;
  if (options.offset !== undefined) return 'No workload with containers at the cursor.';
  return 'No workload with containers that can have probes in this file.';
}

function nonNegative(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
