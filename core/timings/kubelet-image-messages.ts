/**
 * The image events the kubelet records for a container, read from their messages. Formats, from
 * kubernetes/kubernetes pkg/kubelet/images/image_manager.go (EnsureImageExists / pullImage), event
 * reasons from pkg/kubelet/events/event.go:
 *
 *   Pulling  `Pulling image "%s"`                                   before the pull is queued
 *   Pulled   `Successfully pulled image "%s" in %v (%v including waiting). Image size: %v bytes.`
 *            first %v: the runtime's pull (imagePullResult.pullDuration), second: since the Pulling
 *            event, so it includes the wait for a pull slot (serial pulls or maxParallelImagePulls);
 *            both truncated to the millisecond (we truncate older, nanosecond values the same way).
 *            Current releases.
 *   Pulled   `Successfully pulled image "%s" in %v (%v including waiting)`  before the size was added
 *   Pulled   `Successfully pulled image "%s" in %v`  older kubelets: one duration, measured from the
 *            Pulling event, so it too includes any wait (full nanosecond precision, e.g. 4.209136582s)
 *   Pulled   `Container image "%s" already present on machine`  no pull (IfNotPresent/Never, cached)
 *   Pulled   `Container image "%s" already present on machine and can be accessed by the pod`
 *            the same with KubeletEnsureSecretPulledImages on (the image's credentials were checked)
 *   Failed   `Failed to pull image "%s": <error>`
 *   BackOff  `Back-off pulling image "%s"` (newer kubelets append `: <previous error>`)
 *   ErrImageNeverPull  `Container image "%s" is not present with pull policy of Never`
 *
 * Image names are printed with Go's %q; image references never contain quotes or backslashes, so the
 * quoted text is the name as written in the pod spec.
 */
import { parseGoDuration } from './timestamps';

export type ImageEvent =
  | { kind: 'pulling'; image: string }
  | { kind: 'pulled'; image: string; pullMs?: number; totalMs?: number; sizeBytes?: number }
  | { kind: 'cached'; image: string }
  | { kind: 'failed'; image: string }
  | { kind: 'backoff'; image: string }
  | { kind: 'never-pull'; image: string };

const PULLING = /^Pulling image "(.+)"$/;
const PULLED = /^Successfully pulled image "(.+?)" in (\S+?)(?: \((\S+) including waiting\))?(?:\. Image size: (\d+) bytes\.?)?$/;
const CACHED = /^Container image "(.+)" already present on machine(?: and can be accessed by the pod)?$/;
const FAILED = /^Failed to pull image "(.+?)"(?::|$)/;
const BACKOFF = /^Back-off pulling image "(.+?)"(?::|$)/;
const NEVER = /^Container image "(.+)" is not present with pull policy of Never$/;

/** The image event a kubelet event stands for, or undefined for any other event. */
export function parseImageEvent(reason: string, message: string): ImageEvent | undefined {
  let match: RegExpExecArray | null;
  switch (reason) {
    case 'Pulling':
      match = PULLING.exec(message);
      return match ? { kind: 'pulling', image: match[1] } : undefined;
    case 'Pulled':
      if ((match = CACHED.exec(message))) return { kind: 'cached', image: match[1] };
      match = PULLED.exec(message);
      if (!match) return undefined;
      return pulled(match);
    case 'Failed':
      match = FAILED.exec(message);
      return match ? { kind: 'failed', image: match[1] } : undefined;
    case 'BackOff':
      match = BACKOFF.exec(message);
      return match ? { kind: 'backoff', image: match[1] } : undefined;
    case 'ErrImageNeverPull':
      match = NEVER.exec(message);
      return match ? { kind: 'never-pull', image: match[1] } : undefined;
    default:
      return undefined;
  }
}

/** Whole milliseconds, as current kubelets truncate them (older ones printed nanoseconds). */
function durationMs(text: string | undefined): number | undefined {
  const ms = text === undefined ? undefined : parseGoDuration(text);
  return ms === undefined ? undefined : Math.floor(ms);
}

function pulled(match: RegExpExecArray): ImageEvent {
  const first = durationMs(match[2]);
  const includingWaiting = durationMs(match[3]);
  const sizeBytes = match[4] === undefined ? undefined : Number(match[4]);
  if (match[3] === undefined) {
    // The old single duration already ran from the Pulling event, waiting included; the pull alone is unknown.
    return { kind: 'pulled', image: match[1], totalMs: first, sizeBytes };
  }
  return { kind: 'pulled', image: match[1], pullMs: first, totalMs: includingWaiting, sizeBytes };
}
