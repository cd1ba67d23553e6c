/**
 * Container image references, split the way the container runtime resolves them:
 * [registry/]repository[:tag][@digest]. A reference without a tag means `:latest`.
 */
import { compileSafePattern, shippedPattern } from './safe-pattern';

export interface ImageReference {
  raw: string;
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(raw: string): ImageReference | undefined {
  const text = raw.trim();
  if (!text || /\s/.test(text)) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; before it, it is a registry port.
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash !== -1) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  if (!rest) return undefined;
  return { raw: text, registry, repository: rest, tag, digest };
}

/**
 * True when the reference is a variable the tooling fills in later: `$(IMAGE)`, `${IMG}`, `{{ .Image }}`,
 * or a name left for the reader to fill in (`<YOUR-IMAGE>`, `gcr.io/<project>/<image>`). A placeholder
 * only in the registry part (`<registry>/app:latest`) still shows the tag the author chose.
 */
export function isPlaceholderImage(raw: string): boolean {
  const text = raw.trim();
  return /\$\(|\$\{|\{\{|%%|^\$[A-Z_]/.test(text) || /^[A-Z][A-Z0-9_]*$/.test(text) || /<[^<>/]*>$/.test(text);
}

/**
 * Tags that name one build: a full version (1.25.3, v2.4.1-alpine), a date stamp (20240115,
 * 20250801_0916_RC01) or a commit sha.
 * A bare major or minor (`1`, `3.12`, `3.12-slim`) is a moving tag: it follows patch releases.
 */
export const DEFAULT_PINNED_TAG_PATTERN = shippedPattern('^v?\\d+\\.\\d+\\.\\d+([._+-][0-9A-Za-z._-]+)?$|^[0-9a-f]{7,40}$|^\\d{8,}([._-][0-9A-Za-z._-]+)?$');

export function isImmutableReference(image: ImageReference, pinnedTagPattern: string): boolean {
  if (image.digest) return true;
  if (!image.tag) return false;
  // An invalid or unsafe pattern (core/safe-pattern.ts) falls back to the default.
  return (compileSafePattern(pinnedTagPattern) ?? compileSafePattern(DEFAULT_PINNED_TAG_PATTERN)!).test(image.tag);
}
