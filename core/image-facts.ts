/**
 * What the rules may know about an image beyond its reference: the digest the registry resolves it
 * to, its compressed size and layer count. The facts come from outside the text (the registry
 * client in core/registry/, run by the language server or the CLI), so rules never fetch them: the
 * front end passes a synchronous lookup into the analysis, answering from what it already knows,
 * and analyses again when more arrives. With no registry access every answer is undefined, and the
 * rules that need facts say nothing.
 *
 * This file is the whole interface between the rules and the registry: `ImageFacts` from
 * core/registry/image-facts.ts satisfies `ImageFactsView` as it is.
 */

export interface ImageFactsView {
  /**
   * The digest the reference resolves to: the image index's for a multi-platform image (pinning it
   * keeps the image multi-platform), else the image manifest's.
   */
  digest: string;
  /** Config plus layers, in bytes, as stored (compressed) in the registry: what a node with none of the layers downloads. */
  compressedSize: number;
  layerCount: number;
  /** The platform chosen from an index; undefined when the reference names a single image manifest. */
  platform?: { os: string; architecture: string; variant?: string };
}

/** Facts about an image reference as written in the file (`ghcr.io/acme/api:1.4`), or undefined when not known (yet). */
export type ImageFactsLookup = (reference: string) => ImageFactsView | undefined;

/** The lookup when registry access is off: nothing is known. */
export const NO_IMAGE_FACTS: ImageFactsLookup = () => undefined;

/**
 * A lookup that notes every reference the rules ask about, so that the front end learns which
 * images a file needs facts for without a second walk over it (the rules decide what they need).
 */
export function recordingLookup(lookup: ImageFactsLookup): { lookup: ImageFactsLookup; asked: Set<string> } {
  const asked = new Set<string>();
  return {
    asked,
    lookup: (reference) => {
      asked.add(reference);
      return lookup(reference);
    },
  };
}

/**
 * What of an answer shows in findings, as one string: two analyses that saw the same key for every
 * reference they asked about produced the same findings, so a cached analysis stays valid.
 */
export function imageFactsKey(facts: ImageFactsView | undefined): string {
  if (!facts) return '';
  const platform = facts.platform ? [facts.platform.os, facts.platform.architecture, facts.platform.variant].filter(Boolean).join('/') : '';
  return `${facts.digest} ${facts.compressedSize} ${facts.layerCount} ${platform}`;
}
