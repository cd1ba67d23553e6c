/**
 * "Pin to digest": an image reference rewritten as `name:tag@sha256:…`, with the digest the
 * registry resolves the tag to now. The runtime then pulls exactly that content (the digest wins
 * over the tag) while the tag stays to say which version it was; for a multi-platform image the
 * digest is the index's, so every node still gets its own platform's image.
 *
 * The fix is never safe (fix-all leaves it alone): the image stops following the tag, which is the
 * point for a moving tag but a change of policy the author must choose, and the digest is only as
 * current as the registry's answer.
 */
import { parseImageReference } from './image-reference';
import type { Fix, TextEdit } from './types';

/** `reference` pinned to `digest`; an untagged reference gets the `:latest` it stands for. Undefined when it already has a digest. */
export function pinnedReference(reference: string, digest: string): string | undefined {
  const text = reference.trim();
  const parsed = parseImageReference(text);
  if (!parsed || parsed.digest !== undefined) return undefined;
  return parsed.tag === undefined ? `${text}:latest@${digest}` : `${text}@${digest}`;
}

/**
 * The replacement for the reference as written in the file (plain, or in single or double quotes),
 * or undefined when the written text is not simply the reference (escapes, a block scalar): then no
 * fix is offered rather than a wrong one.
 */
export function pinnedText(written: string, reference: string, digest: string): string | undefined {
  const quote = /^["']/.test(written) ? written[0] : '';
  if (quote && (written.length < 2 || !written.endsWith(quote))) return undefined;
  const inner = quote ? written.slice(1, -1) : written;
  if (inner !== reference.trim()) return undefined;
  const pinned = pinnedReference(reference, digest);
  return pinned === undefined ? undefined : `${quote}${pinned}${quote}`;
}

/** The "Pin to digest" fix for a reference written at `start`..`end` of the file. */
export function pinToDigestFix(text: string, start: number, end: number, reference: string, digest: string): Fix | undefined {
  const replacement = pinnedText(text.slice(start, end), reference, digest);
  if (replacement === undefined) return undefined;
  const edit: TextEdit = { start, end, newText: replacement };
  // sha256:0123456789ab…: enough to recognise it, short enough for a menu.
  return { title: `Pin to digest (${digest.slice(0, digest.indexOf(':') + 13)}…)`, edits: [edit], safe: false };
}
