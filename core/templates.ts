/**
 * Recognises template sources (Helm, Jinja, Go templates, docker-library placeholders). Their
 * text is not the YAML that reaches the cluster, so Podstart says so once and analyses nothing.
 *
 * `{{ }}` and `{% %}` are also legitimate data: kserve's ConfigMaps, vLLM chat templates and
 * Grafana dashboards carry templates inside strings and block scalars. So a regular expression
 * over the text decides only for unmistakable signs (a template file name, Helm's built-in
 * objects); otherwise the parse decides: a document that does not parse and has template marks,
 * or one where `{{` parsed as a flow mapping (`namespace: {{NS}}`), which no real manifest has.
 */
import { isMap, visit, type Document } from 'yaml';
import { enclosingScalarEnd, hasLoneCarriageReturn } from './multiline-scalars';
import { parseDocumentCapped, type YamlChunk } from './yaml-documents';

const TEMPLATE_FILE_NAME = /\.(tpl|gotmpl|tmpl|template|j2|jinja2?)(\.(ya?ml|json))?$/i;
/** Helm's built-in objects after a `{{` on the same line, before any `}`: `{{ .Values.x }}`, `{{ $.Release.Name }}`. */
const HELM_KEYWORD = /\.(Values|Release|Chart|Capabilities|Files)\b/;
const TEMPLATE_MARKS = /\{\{|\{%|%%[A-Z_]+%%/;

export type TemplateFlavor = 'Helm or Go' | 'Jinja';

/** A file named as a template source: `deploy.yaml.tpl`, `values.j2`, `Dockerfile.template`. */
export function isTemplateFileName(fileName: string): boolean {
  return TEMPLATE_FILE_NAME.test(fileName);
}

/** A template known as such before parsing. */
export function detectTemplate(text: string, fileName?: string): TemplateFlavor | undefined {
  if (fileName && isTemplateFileName(fileName)) return /\.(j2|jinja2?)(\.|$)/i.test(fileName) ? 'Jinja' : 'Helm or Go';
  if (hasHelmObject(text)) return 'Helm or Go';
  return undefined;
}

/**
 * HELM_OBJECT anywhere in the text, in one pass. Every match starts at a `{{` and its keyword lies
 * before the next `}` or line break (the expression's `[^}\n]*`): that stretch is searched once for
 * the keyword, with a native search to find each `{{`. A later `{{` in the same stretch sees a part
 * of it, so it cannot match where the first did not. Running the expression at each `{{` instead
 * took 2.4 s on one line of 2,700 `{` followed by a megabyte without a `}` (found by the fuzzer).
 */
function hasHelmObject(text: string): boolean {
  let stretchEnd = -1;
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at + 1)) {
    if (at < stretchEnd) continue;
    const brace = text.indexOf('}', at + 2);
    const newline = text.indexOf('\n', at + 2);
    stretchEnd = Math.min(brace === -1 ? text.length : brace, newline === -1 ? text.length : newline);
    if (HELM_KEYWORD.test(text.slice(at + 2, stretchEnd))) return true;
  }
  return false;
}

export function flavorOf(text: string): TemplateFlavor {
  return /\{%/.test(text) && !/\{\{/.test(text) ? 'Jinja' : 'Helm or Go';
}

/** Whether text that failed to parse carries template marks, so the failure is the template's. */
export function hasTemplateMarks(text: string): boolean {
  return TEMPLATE_MARKS.test(text);
}

/** Whether a parsed document holds a `{{ }}` placeholder that YAML read as a flow mapping. */
export function hasParsedPlaceholder(doc: Document, chunkText: string): boolean {
  if (!chunkText.includes('{{')) return false;
  let found = false;
  visit(doc, {
    Map(_key, node) {
      if (isMap(node) && node.flow && node.range && chunkText.startsWith('{{', node.range[0])) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** `key: {{`, `- {{` or a line opening with `{{`/`{%`: where a placeholder may sit unquoted. */
const UNQUOTED_MARK = /^[^#'"\n]*:[ \t]+\{[{%]|^[ \t]*(-[ \t]+)?\{[{%]/m;

/**
 * UNQUOTED_MARK.test(text), without running the expression over the whole text: it was most of the
 * analysis time of install bundles, whose skipped documents (CRDs) are megabytes without a mark.
 * A match never crosses a `\n` and ends at a `{{` or `{%`, so it lies within a line that holds a
 * mark; the expression is run on those lines only (`^` at a line's start is a line start in the
 * text, and inside the line it matches where it did), each once. With `outsideScalars`, a line
 * shown to lie inside a block or multi-line quoted scalar does not count: its mark is text.
 */
export function hasUnquotedMark(text: string, outsideScalars = false): boolean {
  let skipScalars: boolean | undefined;
  /** Where the block scalar holding the last mark line ends: lines before it are that scalar's text too. */
  let scalarEnd = -1;
  let nextBraces = text.indexOf('{{');
  let nextPercent = text.indexOf('{%');
  while (nextBraces !== -1 || nextPercent !== -1) {
    const at = nextPercent === -1 || (nextBraces !== -1 && nextBraces < nextPercent) ? nextBraces : nextPercent;
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 ? text.length : newline;
    if (lineStart >= scalarEnd && UNQUOTED_MARK.test(text.slice(lineStart, lineEnd))) {
      skipScalars ??= outsideScalars && !hasLoneCarriageReturn(text);
      const end = skipScalars ? enclosingScalarEnd(text, lineStart) : undefined;
      if (end === undefined) return true;
      scalarEnd = end;
    }
    if (nextBraces !== -1 && nextBraces < lineEnd) nextBraces = text.indexOf('{{', lineEnd);
    if (nextPercent !== -1 && nextPercent < lineEnd) nextPercent = text.indexOf('{%', lineEnd);
  }
  return false;
}

/**
 * Whether one document is templated. Documents Podstart does not analyse are not parsed for
 * analysis, but a placeholder in them (a Secret's `token: {{TOKEN}}`) still marks the file as a
 * template; they are parsed here only when their text has such a mark outside the multi-line
 * scalars the text shows (core/multiline-scalars.ts: a dashboard's JSON, a chat template), and the
 * verdict is kept with the chunk so an unchanged document is judged once.
 */
export function isTemplatedChunk(chunk: YamlChunk): boolean {
  if (chunk.templated !== undefined) return chunk.templated;
  let verdict = false;
  if (chunk.doc) {
    verdict = (chunk.errors.length > 0 && hasTemplateMarks(chunk.text)) || hasParsedPlaceholder(chunk.doc, chunk.text);
  } else if (chunk.errors.length > 0) {
    verdict = hasTemplateMarks(chunk.text);
  } else if (hasUnquotedMark(chunk.text, true)) {
    try {
      const { doc } = parseDocumentCapped(chunk.text, { prettyErrors: false });
      verdict = doc.errors.length > 0 || hasParsedPlaceholder(doc, chunk.text);
    } catch {
      verdict = true;
    }
  }
  chunk.templated = verdict;
  return verdict;
}
