/**
 * Recognises template sources (Helm, Jinja, Go templates, docker-library placeholders). Their
 * text is not the YAML that reaches the cluster, so Podstart says so once and analyses nothing.
 * `{{ }}` inside a quoted or block string of a plain manifest (kserve's ConfigMaps, Prometheus
 * rules) is data, not templating, and does not count.
 */
const TEMPLATE_FILE_NAME = /\.(tpl|gotmpl|tmpl|template|j2|jinja2?)$/i;
/** A directive on a line of its own: `{{- if .Values.x }}`, `{% for %}`. */
const DIRECTIVE_LINE = /^[ \t]*(\{\{-?|\{%-?)/m;
/** A Helm object reference anywhere: `.Values.`, `.Release.`, `.Chart.` and friends. */
const HELM_OBJECT = /\{\{[^}\n]*\.(Values|Release|Chart|Capabilities|Files|Template)\b/;
/** A placeholder in a key or an unquoted value: `image: {{IMAGE}}`, `{{ .Namespace }}`. */
const UNQUOTED_PLACEHOLDER = /^[^#'"\n]*?:[ \t]+\{\{|^[ \t]*-?[ \t]*\{\{/m;

export type TemplateFlavor = 'Helm or Go' | 'Jinja';

export function detectTemplate(text: string, fileName?: string): TemplateFlavor | undefined {
  if (fileName && TEMPLATE_FILE_NAME.test(fileName)) return /\.(j2|jinja2?)$/i.test(fileName) ? 'Jinja' : 'Helm or Go';
  if (/^[ \t]*\{%/m.test(text) || /\{%-?\s*(if|for|set|include|macro)\b/.test(text)) return 'Jinja';
  if (DIRECTIVE_LINE.test(text) || HELM_OBJECT.test(text) || UNQUOTED_PLACEHOLDER.test(text)) return 'Helm or Go';
  return undefined;
}
