/**
 * A kubelet configuration written as a YAML (or JSON) map: a KubeletConfiguration document, a kind
 * patch's embedded document, nodeadm's `spec.kubelet.config`. Reads fields from the map and writes
 * fixes into it, in block style or, for JSON and flow maps, as `"field": value` entries.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { lineEndingOf, type ChunkEditor } from '../edits';
import type { TextEdit } from '../types';
import { getPair, keyText, resolveNode } from '../yaml-nodes';
import type { FieldValue, FileSpan, KubeletConfigView, KubeletSetting } from './model';

export interface YamlConfigSource {
  doc: Document;
  map: YAMLMap;
  /** Edits the text the map was parsed from; its output goes through `toFileEdit`. */
  editor: ChunkEditor;
  /** A file offset for a node offset. */
  toFile(offset: number): number;
  /** An editor edit as a file edit; undefined when it cannot be placed exactly. */
  toFileEdit(edit: TextEdit): TextEdit | undefined;
}

type ViewIdentity = Pick<KubeletConfigView, 'form' | 'complete' | 'label' | 'object' | 'anchor'>;

/** Nodes visited at most when the map is turned into data, aliases followed included (an alias bomb stays small). */
const MAX_NODES = 20_000;

/**
 * The kubelet reads its YAML as YAML 1.1 (sigs.k8s.io/yaml, on go-yaml v2), where plain `yes`, `on`
 * and `y` are booleans; the `yaml` package reads YAML 1.2, where they are strings. Without this,
 * `failSwapOn: yes` would look like a wrong type that stops the kubelet.
 */
const YAML_1_1_TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;
const YAML_1_1_FALSE = /^(?:n|N|no|No|NO|off|Off|OFF)$/;

export function yamlConfigView(identity: ViewIdentity, source: YamlConfigSource): KubeletConfigView {
  const { doc, map } = source;
  const spanOfNode = (node: Node | null | undefined): FileSpan | undefined =>
    node?.range ? { start: source.toFile(node.range[0]), end: source.toFile(Math.max(node.range[1], node.range[0] + 1)) } : undefined;

  const get = (field: string): KubeletSetting | undefined => {
    const pair = getPair(map, field);
    if (!pair) return undefined;
    const key = spanOfNode(pair.key as Node);
    const valueNode = resolveNode(doc, pair.value);
    const valueSpan = spanOfNode(valueNode) ?? key;
    if (!key || !valueSpan) return undefined;
    return { field, value: valueOf(doc, valueNode), key, valueSpan };
  };

  return {
    ...identity,
    get,
    featureGate(name) {
      const gates = resolveNode(doc, getPair(map, 'featureGates')?.value);
      if (!isMap(gates)) return undefined;
      const pair = getPair(gates, name);
      const value = resolveNode(doc, pair?.value);
      const span = pair && spanOfNode(pair.key as Node);
      if (!span || !isScalar(value)) return undefined;
      return { enabled: kubeletData(doc, value, { left: 1 }) === true, span: { start: span.start, end: spanOfNode(value)?.end ?? span.end } };
    },
    set(values) {
      const edits: TextEdit[] = [];
      const added: string[] = [];
      for (const [field, value] of Object.entries(values)) {
        const pair = getPair(map, field);
        const valueNode = pair && resolveNode(doc, pair.value);
        if (pair && valueNode && pair.value === valueNode) {
          const edit = source.editor.replaceNode(valueNode, formatValue(value, map.flow === true));
          if (!edit) return undefined;
          edits.push(edit);
        } else if (pair) {
          return undefined; // an alias or an empty value: rewriting it could change other places
        } else {
          added.push(field);
        }
      }
      if (added.length > 0) {
        const insertion = insertFields(source.editor, map, added.map((field) => [field, values[field]]));
        if (!insertion) return undefined;
        edits.push(insertion);
      }
      const fileEdits = edits.map((edit) => source.toFileEdit(edit));
      return fileEdits.every((edit): edit is TextEdit => edit !== undefined) ? fileEdits : undefined;
    },
    setFeatureGate(name, enabled) {
      // Only inside a `featureGates` map written here: an alias may be shared, and a missing map is the base's.
      const gatesPair = getPair(map, 'featureGates');
      const gates = resolveNode(doc, gatesPair?.value);
      if (!isMap(gates) || gatesPair?.value !== gates) return undefined;
      const pair = getPair(gates, name);
      const value = resolveNode(doc, pair?.value);
      if (pair && (!isScalar(value) || pair.value !== value)) return undefined;
      const edit = value ? source.editor.replaceNode(value, String(enabled)) : insertFields(source.editor, gates, [[name, enabled]]);
      const fileEdit = edit && source.toFileEdit(edit);
      return fileEdit ? [fileEdit] : undefined;
    },
    schemaSource: {
      get value() {
        return kubeletData(doc, map, { left: MAX_NODES });
      },
      spanOf(path, atKey) {
        const { node, pair } = walk(doc, map, path);
        if (atKey && pair) return spanOfNode(pair.key as Node);
        return spanOfNode(resolveNode(doc, node)) ?? (pair ? spanOfNode(pair.key as Node) : undefined);
      },
      replaceAt(path, atKey, text) {
        const { node, pair, complete } = walk(doc, map, path);
        const target = atKey ? (pair?.key as Node | undefined) : (node as Node | undefined);
        if (!complete || !isScalar(target)) return undefined;
        const quoted = target.type === 'QUOTE_DOUBLE' || target.type === 'QUOTE_SINGLE' || map.flow === true;
        const edit = source.editor.replaceNode(target, quoted ? JSON.stringify(text) : formatValue(text, false));
        const fileEdit = edit && source.toFileEdit(edit);
        return fileEdit ? [fileEdit] : undefined;
      },
    },
  };
}

/** The node at a path of keys and indices, with the pair holding it; `complete` when the whole path was found. */
function walk(doc: Document, map: YAMLMap, path: readonly (string | number)[]): { node: unknown; pair?: Pair; complete: boolean } {
  let node: unknown = map;
  let pair: Pair | undefined;
  let found = 0;
  for (const segment of path) {
    const current = resolveNode(doc, node);
    if (typeof segment === 'number' && isSeq(current)) {
      pair = undefined;
      node = current.items[segment];
    } else if (isMap(current)) {
      pair = current.items.find((item) => isPair(item) && keyText(item) === String(segment)) as Pair | undefined;
      node = pair ? pair.value : undefined;
    } else {
      break;
    }
    if (node === undefined && !pair) break;
    found++;
    if (node === undefined || node === null) break;
  }
  return { node, pair, complete: found === path.length };
}

function valueOf(doc: Document, node: Node | undefined): unknown {
  return node ? kubeletData(doc, node, { left: MAX_NODES }) : undefined;
}

/** A node as the data the kubelet decodes: YAML 1.1 booleans, aliases followed; undefined past the node budget. */
function kubeletData(doc: Document, node: unknown, budget: { left: number }): unknown {
  if (--budget.left < 0) return undefined;
  const resolved = resolveNode(doc, node);
  if (isScalar(resolved)) {
    const value = resolved.value;
    if (typeof value === 'string' && resolved.type === 'PLAIN') {
      if (YAML_1_1_TRUE.test(value)) return true;
      if (YAML_1_1_FALSE.test(value)) return false;
    }
    return value;
  }
  if (isSeq(resolved)) {
    const items = resolved.items.map((item) => kubeletData(doc, item, budget));
    return budget.left < 0 ? undefined : items;
  }
  if (isMap(resolved)) {
    const object: Record<string, unknown> = {};
    for (const item of resolved.items) {
      const key = isScalar(item.key) ? String(item.key.value) : undefined;
      if (key !== undefined) object[key] = kubeletData(doc, item.value, budget);
    }
    return budget.left < 0 ? undefined : object;
  }
  return resolved === undefined || resolved === null ? null : undefined;
}

/** A value as YAML (or, in a flow map such as JSON, as JSON). */
function formatValue(value: FieldValue, flow: boolean): string {
  if (typeof value !== 'string') return String(value);
  return flow || !/^[A-Za-z0-9][A-Za-z0-9.%-]*$/.test(value) || /^(true|false|null|yes|no|on|off|~|[\d.+-]+)$/i.test(value) ? JSON.stringify(value) : value;
}

/** New `field: value` entries after the map's last entry, in the map's own style. */
function insertFields(editor: ChunkEditor, map: YAMLMap, fields: Array<[string, FieldValue]>): TextEdit | undefined {
  const last = map.items[map.items.length - 1];
  if (!isPair(last)) return undefined;
  if (!map.flow) return editor.insertAfterPair(map, last, fields.map(([field, value]) => `${field}: ${formatValue(value, false)}`));
  // A flow map (JSON): `, "field": value` after the last entry, on its own line when entries are one per line.
  const lastKey = (last.key as Node | null)?.range?.[0];
  const lastValue = (last.value as Node | null)?.range?.[1];
  const open = map.range?.[0];
  if (lastKey === undefined || lastValue === undefined || open === undefined) return undefined;
  const keyAt = editor.abs(lastKey);
  const onOwnLine = editor.text.slice(editor.abs(open), keyAt).includes('\n');
  const separator = onOwnLine ? lineEndingOf(editor.text) + ' '.repeat(editor.columnOf(keyAt)) : ' ';
  const at = editor.abs(lastValue);
  return { start: at, end: at, newText: fields.map(([field, value]) => `,${separator}${JSON.stringify(field)}: ${formatValue(value, true)}`).join('') };
}
