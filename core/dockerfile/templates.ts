/**
 * Recognises Dockerfile templates: sources that a generator turns into Dockerfiles (docker-library's
 * `Dockerfile-linux.template`, nginx's `%%NGINX_VERSION%%` placeholders, Jinja `Dockerfile.j2`).
 * Their text is not what `docker build` reads, so Podstart says so once and analyses nothing.
 *
 * `{{ }}` also appears in real Dockerfiles, inside shell commands (`docker inspect --format
 * '{{.Id}}'`) and comments, so only unmistakable signs count: a template file name, a line that
 * opens with a template tag, a placeholder in `FROM`, or a `%%NAME%%` placeholder.
 */
import { isTemplateFileName } from '../templates';

/** A line that is a template statement: `{{ if ... }}`, `{% for %}`. */
const TEMPLATE_LINE = /^[ \t]*(\{\{|\{%)/m;
/** `FROM alpine:{{ version }}`: no real base image has braces. */
const TEMPLATED_FROM = /^[ \t]*FROM[ \t][^\n]*(\{\{|\{%|%%)/im;
/** docker-library style placeholders, outside comments. */
const PLACEHOLDER_LINE = /^(?![ \t]*#)[^\n]*%%[A-Z][A-Z0-9_]*%%/m;

export function isDockerfileTemplate(text: string, fileName?: string): boolean {
  if (fileName && isTemplateFileName(fileName)) return true;
  return TEMPLATE_LINE.test(text) || TEMPLATED_FROM.test(text) || PLACEHOLDER_LINE.test(text);
}
