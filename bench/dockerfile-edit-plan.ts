/**
 * The edits a benchmark types into a Dockerfile: one-line changes of a base image's tag, flipping
 * it between `latest` and its pinned version, so that every edit changes what Podstart reports
 * (dockerfile-mutable-base-image) and no analysis can be skipped. The tag is edited where it is
 * written: in the `FROM` line (`FROM alpine:3.22`) or, when a `FROM` names its image through a
 * global build argument (`FROM $BASE_IMAGE`), in that `ARG`'s default (`ARG BASE_IMAGE=debian:trixie-slim`).
 * Sites alternate between the first and the last, as in the manifest plan.
 */
import { DockerfileParser, type Arg } from 'dockerfile-ast';

export interface BaseImageTagSite {
  /** Zero-based line of the `FROM` or `ARG` line. */
  line: number;
  /** Character range of the tag on that line. */
  start: number;
  end: number;
  tag: string;
  instruction: 'FROM' | 'ARG';
}

export interface PlannedDockerfileEdit {
  site: BaseImageTagSite;
  line: number;
  start: number;
  end: number;
  newText: string;
}

/** `name:tag` with no digest; the tag is the last `:` part not followed by a `/` (a registry port is not a tag). */
const IMAGE_WITH_TAG = /^(["']?[^\s"'@$]*[^\s"'@$:/]):([\w][\w.-]*)["']?$/;

/** Literal tags of base images, in file order: from `FROM` lines and from the global `ARG`s that `FROM`s expand. */
export function findBaseImageTagSites(text: string): BaseImageTagSite[] {
  const dockerfile = DockerfileParser.parse(text);
  const lines = text.split('\n');
  const sites: BaseImageTagSite[] = [];
  const argsUsedByFrom = new Set<string>();
  for (const from of dockerfile.getFROMs()) {
    for (const variable of from.getVariables()) argsUsedByFrom.add(variable.getName());
    const tag = from.getImageTag();
    const range = from.getImageTagRange();
    // A tag that is itself a variable (`alpine:${VERSION}`) is not a literal to flip.
    if (!tag || !range || range.start.line !== range.end.line || tag.includes('$')) continue;
    sites.push({ line: range.start.line, start: range.start.character, end: range.end.character, tag, instruction: 'FROM' });
  }
  for (const arg of dockerfile.getInitialARGs()) {
    const site = argDefaultTagSite(arg, lines, argsUsedByFrom);
    if (site) sites.push(site);
  }
  return sites.sort((a, b) => a.line - b.line);
}

function argDefaultTagSite(arg: Arg, lines: string[], argsUsedByFrom: ReadonlySet<string>): BaseImageTagSite | undefined {
  const property = arg.getProperty();
  const range = property?.getValueRange();
  if (!property || !range || !argsUsedByFrom.has(property.getName()) || range.start.line !== range.end.line) return undefined;
  const raw = lines[range.start.line].slice(range.start.character, range.end.character);
  const match = IMAGE_WITH_TAG.exec(raw);
  if (!match) return undefined;
  const start = range.start.character + match[1].length + 1;
  return { line: range.start.line, start, end: start + match[2].length, tag: match[2], instruction: 'ARG' };
}

/**
 * `count` edits alternating between the first and the last site: each replaces the tag with
 * `latest` when it is pinned and with the pinned version when it is `latest`.
 */
export function planDockerfileEdits(text: string, count: number): PlannedDockerfileEdit[] {
  const sites = findBaseImageTagSites(text);
  if (sites.length === 0) throw new Error('no literal base image tag (in a FROM or a global ARG it uses) to edit');
  const targets = sites.length === 1 ? [sites[0]] : [sites[0], sites[sites.length - 1]];
  const current = new Map(targets.map((site) => [site, site.tag]));
  const edits: PlannedDockerfileEdit[] = [];
  for (let index = 0; index < count; index++) {
    const site = targets[index % targets.length];
    const tag = current.get(site)!;
    const newText = tag === 'latest' ? (site.tag === 'latest' ? '1.0.0' : site.tag) : 'latest';
    edits.push({ site, line: site.line, start: site.start, end: site.start + tag.length, newText });
    current.set(site, newText);
  }
  return edits;
}
