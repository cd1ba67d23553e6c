/**
 * Small, alias-aware accessors over the `yaml` AST. Rules read the tree through these so that
 * they never call toJS(): an alias bomb stays a handful of nodes instead of expanding.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type AnyNode = Node | null | undefined;

/** Follows an alias (once; yaml rejects alias cycles) to the node it names. */
export function resolveNode(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) {
    try {
      return (node.resolve(doc) as Node | undefined) ?? undefined;
    } catch {
      return undefined;
    }
  }
  return (node as Node | null | undefined) ?? undefined;
}

export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null || key.value === undefined ? undefined : String(key.value);
  return undefined;
}

/**
 * The pair whose key reads `key` (keyText). The most called accessor of all (every rule reads keys
 * through it): a key holding the very string is taken without keyText's conversion, which only
 * keys of other types (`80:`, `true:`) need.
 */
export function getPair(map: YAMLMap | undefined, key: string): Pair<Node, Node> | undefined {
  if (!map) return undefined;
  for (const item of map.items) {
    const keyNode = (item as Partial<Pair>).key;
    const value = (keyNode as { value?: unknown } | null | undefined)?.value;
    if (value === key ? isPair(item) && isScalar(keyNode) : typeof value !== 'string' && isPair(item) && keyText(item) === key) return item as Pair<Node, Node>;
  }
  return undefined;
}

export function getMap(doc: Document, map: YAMLMap | undefined, key: string): YAMLMap | undefined {
  return asMap(doc, getPair(map, key)?.value);
}

/** The node, alias resolved, if it is a map (a pair's value the caller already holds the pair of). */
export function asMap(doc: Document, node: unknown): YAMLMap | undefined {
  const value = resolveNode(doc, node);
  return isMap(value) ? value : undefined;
}

export function getSeq(doc: Document, map: YAMLMap | undefined, key: string): YAMLSeq | undefined {
  const value = resolveNode(doc, getPair(map, key)?.value);
  return isSeq(value) ? value : undefined;
}

export function getNode(doc: Document, map: YAMLMap | undefined, key: string): Node | undefined {
  return resolveNode(doc, getPair(map, key)?.value);
}

/** The scalar's value as text, or undefined for a missing, null or non-scalar node. */
export function scalarText(doc: Document, node: unknown): string | undefined {
  const resolved = resolveNode(doc, node);
  if (!isScalar(resolved) || resolved.value === null || resolved.value === undefined) return undefined;
  return String(resolved.value);
}

export function getString(doc: Document, map: YAMLMap | undefined, key: string): string | undefined {
  return scalarText(doc, getPair(map, key)?.value);
}

export function getNumber(doc: Document, map: YAMLMap | undefined, key: string): number | undefined {
  const text = getString(doc, map, key);
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Maps of a sequence, aliases resolved. */
export function mapItems(doc: Document, seq: YAMLSeq | undefined): YAMLMap[] {
  if (!seq) return [];
  const maps: YAMLMap[] = [];
  for (const item of seq.items) {
    const resolved = resolveNode(doc, item);
    if (isMap(resolved)) maps.push(resolved);
  }
  return maps;
}

/** Scalar strings of a sequence (a command or args list). */
export function stringItems(doc: Document, seq: YAMLSeq | undefined): string[] {
  if (!seq) return [];
  const strings: string[] = [];
  for (const item of seq.items) {
    const text = scalarText(doc, item);
    if (text !== undefined) strings.push(text);
  }
  return strings;
}

/** [start, end) of a node's value, relative to its document chunk. */
export function nodeSpan(node: Node | Pair): { start: number; end: number } | undefined {
  if (isPair(node)) {
    const key = node.key as Node | null;
    const value = node.value as Node | null;
    const start = key?.range?.[0] ?? value?.range?.[0];
    const end = value?.range?.[1] ?? key?.range?.[1];
    return start === undefined || end === undefined ? undefined : { start, end };
  }
  const range = node.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}
