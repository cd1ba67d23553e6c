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
import { parseDocumentCapped, type YamlChunk } from './yaml-documents';

const TEMPLATE_FILE_NAME = /\.(tpl|gotmpl|tmpl|template|j2|jinja2?)(\.(ya?ml|json))?$/i;
/** Helm's built-in objects: `.Values.`, `.Release.`, `.Chart.`, `.Capabilities.`, `.Files.`. */
const HELM_OBJECT = /\{\{[^}\n]*\$?\.(Values|Release|Chart|Capabilities|Files)\b/;
const TEMPLATE_MARKS = /\{\{|\{%|%%[A-Z_]+%%/;

export type TemplateFlavor = 'Helm or Go' | 'Jinja';

/** A file named as a template source: `deploy.yaml.tpl`, `values.j2`, `Dockerfile.template`. */
export function isTemplateFileName(fileName: string): boolean {
  return TEMPLATE_FILE_NAME.test(fileName);
}

/** A template known as such before parsing. */
export function detectTemplate(text: string, fileName?: string): TemplateFlavor | undefined {
  if (fileName && isTemplateFileName(fileName)) return /\.(j2|jinja2?)(\.|$)/i.test(fileName) ? 'Jinja' : 'Helm or Go';
  if (HELM_OBJECT.test(text)) return 'Helm or Go';
  return undefined;
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
 * Whether one document is templated. Documents Podstart does not analyse are not parsed for
 * analysis, but a placeholder in them (a Secret's `token: {{TOKEN}}`) still marks the file as a
 * template; they are parsed here only when their text has such a mark, and the verdict is kept
 * with the chunk so an unchanged document is judged once.
 */
export function isTemplatedChunk(chunk: YamlChunk): boolean {
  if (chunk.templated !== undefined) return chunk.templated;
  let verdict = false;
  if (chunk.doc) {
    verdict = (chunk.errors.length > 0 && hasTemplateMarks(chunk.text)) || hasParsedPlaceholder(chunk.doc, chunk.text);
  } else if (chunk.errors.length > 0) {
    verdict = hasTemplateMarks(chunk.text);
  } else if (UNQUOTED_MARK.test(chunk.text)) {
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
