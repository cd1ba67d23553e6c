/**
 * "Add a startupProbe from the readiness probe" as both front ends run it: `podstart generate
 * startup-probe` prints or writes the edited manifest, the editor's `podstart/addStartupProbe`
 * request applies the same edits to the open document (core/generate/startup-probe.ts makes them).
 */
import { applyEdits } from '../apply-edits';
import { DEFAULT_KUBERNETES_VERSION } from '../kubernetes-version';
import type { TextEdit } from '../types';
import { startupProbeEdits } from './startup-probe';

export interface StartupProbeRequest {
  /** Only this container; else the one at `offset`, else every container that can have one. */
  container?: string;
  /** The cursor's offset in the text (the editor). */
  offset?: number;
  kubernetesVersion?: string;
}

export interface StartupProbeResult {
  /** The manifest with the probes added (the input when there are no edits). */
  text: string;
  edits: TextEdit[];
  /** What was added where, or why nothing was. */
  notes: string[];
}

export function addStartupProbe(text: string, request: StartupProbeRequest): StartupProbeResult {
  const { edits, notes } = startupProbeEdits(text, { container: request.container, offset: request.offset, kubernetesVersion: request.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION });
  return { text: edits.length > 0 ? applyEdits(text, edits) : text, edits, notes };
}
