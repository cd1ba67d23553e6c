/**
 * The kinds of file Podstart analyses, decided by name: Kubernetes manifests (YAML) and
 * Dockerfiles. This is the one place that knows what a Dockerfile is called; the engine, the CLI's
 * folder walk, the language server and the tests all ask it.
 */

export type FileType = 'manifest' | 'dockerfile';

/**
 * `Dockerfile`, `Containerfile`, `*.dockerfile` (`api.dockerfile`), and `Dockerfile.*` /
 * `Containerfile.*` (`Dockerfile.prod`). Case-insensitive, as editors and most repositories treat
 * these names; only the last path segment counts, with `/` or `\` as separators.
 */
const DOCKERFILE_NAME = /^(?:(?:dockerfile|containerfile)(?:\.[^/\\]+)?|[^/\\]+\.dockerfile)$/i;
/** BuildKit reads `Dockerfile.dockerignore` beside a Dockerfile: an ignore file, not a Dockerfile. */
const IGNORE_FILE_NAME = /\.dockerignore$/i;

export function isDockerfileName(filePath: string): boolean {
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
  return DOCKERFILE_NAME.test(name) && !IGNORE_FILE_NAME.test(name);
}

/**
 * The same names as a glob, for the editor's document selector. Globs match case-sensitively on
 * most file systems, so this covers the usual spellings; the editor's `dockerfile` language covers
 * the rest (test/core/file-types.test.ts checks the two agree on them).
 */
export const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.dockerfile,*.Dockerfile,Dockerfile.*,Containerfile.*}';

/** The file type of a file name; anything that is not a Dockerfile is read as a manifest. */
export function fileTypeOf(fileName: string | undefined): FileType {
  return fileName !== undefined && isDockerfileName(fileName) ? 'dockerfile' : 'manifest';
}
