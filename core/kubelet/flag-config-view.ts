/**
 * A kubelet configuration written as command-line flags, in the three shapes tools use:
 * - a map of flag → value: kubeadm v1beta3 and Cluster API v1beta1 `kubeletExtraArgs`;
 * - a list of `{name, value}`: kubeadm v1beta4 and Cluster API v1beta2 `kubeletExtraArgs`;
 * - a list of `--flag=value` strings: EKS nodeadm `spec.kubelet.flags`.
 * Fixes rewrite a flag's value, or add the flag in the list's own shape.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { lineEndingOf, type ChunkEditor } from '../edits';
import type { TextEdit } from '../types';
import { getPair, keyText, resolveNode, scalarText } from '../yaml-nodes';
import { flagOfField, formatFlagValue, KUBELET_FLAGS, parseFlagValue } from './flags';
import type { FileSpan, KubeletConfigView, KubeletSetting } from './model';
import type { YamlConfigSource } from './yaml-config-view';

type ViewIdentity = Pick<KubeletConfigView, 'form' | 'label' | 'object' | 'anchor'>;

/** One flag as written: its name and value nodes (the value node holds `--flag=value` for nodeadm). */
interface WrittenFlag {
  flag: string;
  value: string;
  keyNode: Node;
  valueNode: Node;
  /** For `--flag=value` strings: where the value starts inside the scalar's text. */
  inlineValueOffset?: number;
}

export function flagConfigView(identity: ViewIdentity, source: Omit<YamlConfigSource, 'map'>, flags: YAMLMap | YAMLSeq): KubeletConfigView {
  const { doc } = source;
  const written = readFlags(doc, flags);
  const span = (node: Node, from = 0, to?: number): FileSpan | undefined => {
    if (!node.range) return undefined;
    const start = node.range[0] + from;
    const end = to === undefined ? Math.max(node.range[1], node.range[0] + 1) : node.range[0] + to;
    return { start: source.toFile(start), end: source.toFile(end) };
  };
  const find = (field: string) => {
    const flag = flagOfField(field);
    return flag === undefined ? undefined : written.find((entry) => entry.flag === flag);
  };
  const get = (field: string): KubeletSetting | undefined => {
    const entry = find(field);
    if (!entry) return undefined;
    const key = span(entry.keyNode);
    const valueSpan = entry.inlineValueOffset === undefined ? span(entry.valueNode) : span(entry.valueNode, entry.inlineValueOffset, rangeLength(entry.valueNode));
    if (!key || !valueSpan) return undefined;
    return { field, value: parseFlagValue(KUBELET_FLAGS[entry.flag].type, entry.value), key, valueSpan, flag: entry.flag };
  };

  return {
    ...identity,
    complete: false,
    get,
    featureGate(name) {
      const setting = get('featureGates');
      const gates = setting?.value as Record<string, unknown> | undefined;
      if (!setting || !gates || !(name in gates)) return undefined;
      const entry = find('featureGates')!;
      const written = writtenGate(source.editor, entry, name);
      return { enabled: gates[name] === true, span: (written && span(entry.valueNode, written.start, written.valueEnd)) ?? setting.valueSpan };
    },
    setFeatureGate(name, enabled) {
      const entry = find('featureGates');
      const text = `${name}=${enabled}`;
      if (!entry) {
        const edit = addFlag(source.editor, flags, 'feature-gates', text);
        const fileEdit = edit && source.toFileEdit(edit);
        return fileEdit ? [fileEdit] : undefined;
      }
      const written = writtenGate(source.editor, entry, name);
      const range = entry.valueNode.range;
      // The gate's own `Name=value` rewritten in place; a gate not written yet joins the list.
      const edit = written && range
        ? { start: source.editor.abs(range[0] + written.start), end: source.editor.abs(range[0] + written.valueEnd), newText: text }
        : name in (parseFlagValue('featureGates', entry.value) as Record<string, unknown>)
          ? undefined // written in a way Podstart cannot find in the source (escapes): leave it to the user
          : replaceFlagValue(source.editor, entry, entry.value.trim() === '' ? text : `${entry.value},${text}`);
      const fileEdit = edit && source.toFileEdit(edit);
      return fileEdit ? [fileEdit] : undefined;
    },
    set(values) {
      const edits: TextEdit[] = [];
      for (const [field, value] of Object.entries(values)) {
        const flag = flagOfField(field);
        if (flag === undefined) return undefined;
        const entry = find(field);
        const text = formatFlagValue(value);
        const edit = entry ? replaceFlagValue(source.editor, entry, text) : addFlag(source.editor, flags, flag, text);
        const fileEdit = edit && source.toFileEdit(edit);
        if (!fileEdit) return undefined;
        edits.push(fileEdit);
      }
      return edits;
    },
  };
}

function readFlags(doc: Document, flags: YAMLMap | YAMLSeq): WrittenFlag[] {
  const written: WrittenFlag[] = [];
  if (isMap(flags)) {
    for (const item of flags.items) {
      const flag = keyText(item as Pair);
      const valueNode = resolveNode(doc, item.value);
      if (flag && KUBELET_FLAGS[flag] && isScalar(valueNode)) written.push({ flag, value: String(valueNode.value ?? ''), keyNode: item.key as Node, valueNode });
    }
    return written;
  }
  for (const item of flags.items) {
    const node = resolveNode(doc, item);
    if (isMap(node)) {
      const name = getPair(node, 'name');
      const valueNode = resolveNode(doc, getPair(node, 'value')?.value);
      const flag = scalarText(doc, name?.value);
      if (flag && KUBELET_FLAGS[flag] && isScalar(valueNode)) written.push({ flag, value: String(valueNode.value ?? ''), keyNode: name!.value as Node, valueNode });
    } else if (isScalar(node) && typeof node.value === 'string') {
      const match = /^--?([a-z0-9-]+)(?:=(.*))?$/s.exec(node.value);
      if (!match || !KUBELET_FLAGS[match[1]]) continue;
      // The offset of the value inside the scalar's source, when the source is the text itself (plain or simply quoted).
      const quote = node.type === 'PLAIN' ? 0 : 1;
      const inline = match[2] === undefined ? undefined : quote + match[0].length - match[2].length;
      written.push({ flag: match[1], value: match[2] ?? 'true', keyNode: node, valueNode: node, inlineValueOffset: inline });
    }
  }
  return written;
}

/** A new value for a written flag: the value node, or the part after `=` of a `--flag=value` string. */
function replaceFlagValue(editor: ChunkEditor, entry: WrittenFlag, text: string): TextEdit | undefined {
  const range = entry.valueNode.range;
  if (entry.inlineValueOffset === undefined || !range) return editor.replaceNode(entry.valueNode, JSON.stringify(text));
  const closingQuote = isScalar(entry.valueNode) && entry.valueNode.type !== 'PLAIN' ? 1 : 0;
  return { start: editor.abs(range[0] + entry.inlineValueOffset), end: editor.abs(range[1] - closingQuote), newText: text };
}

/**
 * Where a gate's `Name=value` is written in a `--feature-gates` value, as offsets from the value
 * node's start: the last occurrence, which is the one the kubelet keeps. Undefined when the source
 * does not show it as such (a quoted scalar with escapes).
 */
function writtenGate(editor: ChunkEditor, entry: WrittenFlag, name: string): { start: number; valueEnd: number } | undefined {
  const range = entry.valueNode.range;
  if (!range) return undefined;
  const source = editor.text.slice(editor.abs(range[0]), editor.abs(range[1]));
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<=^|[\\s,"'=])${escaped}[ \\t]*=[ \\t]*[A-Za-z0-9]*`, 'g');
  let last: RegExpExecArray | undefined;
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) last = match;
  return last && { start: last.index, valueEnd: last.index + last[0].length };
}

function rangeLength(node: Node): number {
  return node.range ? node.range[1] - node.range[0] : 0;
}

/** Adds a flag after the last one, in the shape the others use; undefined for flow collections or an empty one. */
function addFlag(editor: ChunkEditor, flags: YAMLMap | YAMLSeq, flag: string, value: string): TextEdit | undefined {
  if (flags.flow || flags.items.length === 0) return undefined;
  if (isMap(flags)) return editor.insertAfterPair(flags, flags.items[flags.items.length - 1] as Pair, [`${flag}: ${JSON.stringify(value)}`]);
  const last = flags.items[flags.items.length - 1] as Node;
  if (!last?.range) return undefined;
  const itemStart = editor.abs(last.range[0]);
  const lineStart = editor.text.lastIndexOf('\n', itemStart - 1) + 1;
  const dash = editor.text.slice(lineStart, itemStart).indexOf('-');
  if (dash === -1) return undefined;
  const eol = lineEndingOf(editor.text);
  const end = editor.abs(isMap(last) ? trimmedEnd(editor, last) : last.range[1]);
  const newline = editor.text.indexOf('\n', end);
  const at = newline === -1 ? editor.text.length : newline + 1;
  const prefix = newline === -1 ? eol : '';
  const indent = ' '.repeat(dash);
  const lines = isMap(last) ? [`${indent}- name: ${flag}`, `${indent}  value: ${JSON.stringify(value)}`] : [`${indent}- ${JSON.stringify(`--${flag}=${value}`)}`];
  return { start: at, end: at, newText: prefix + lines.join(eol) + eol };
}

function trimmedEnd(editor: ChunkEditor, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && /\s/.test(editor.text[editor.abs(end - 1)] ?? '')) end--;
  return end;
}

export function isFlagCollection(node: unknown): node is YAMLMap | YAMLSeq {
  return isMap(node) || isSeq(node);
}
