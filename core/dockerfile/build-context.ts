/**
 * What the front end knows of the files around a Dockerfile, for the rules that depend on them
 * (is there a `.dockerignore`?). The core reads no files: the CLI and the language server (for
 * file:// documents) look for the files this module names and pass what they found; where they
 * cannot look (standard input, an untitled or virtual document) they pass nothing, and the rules
 * that need these facts say nothing.
 *
 * The build context is taken to be the Dockerfile's folder, as with `docker build .` beside it.
 * BuildKit reads `<Dockerfile name>.dockerignore` beside the Dockerfile first (`Dockerfile.prod` →
 * `Dockerfile.prod.dockerignore`), then `.dockerignore` at the root of the context.
 */

export interface BuildContextFacts {
  /** Of the files `buildContextFilesToCheck` names, those that exist, as named there. */
  existingFiles: readonly string[];
}

export const DOCKERIGNORE = '.dockerignore';

function baseName(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

function folderOf(filePath: string): string {
  return filePath.slice(0, Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}

/** The files to look for beside a Dockerfile, by name relative to its folder. */
export function buildContextFilesToCheck(dockerfilePath: string): string[] {
  return [`${baseName(dockerfilePath)}${DOCKERIGNORE}`, DOCKERIGNORE];
}

/** The facts for a Dockerfile on disk; `exists` is the front end's file-system check. */
export function readBuildContext(dockerfilePath: string, exists: (filePath: string) => boolean): BuildContextFacts {
  const folder = folderOf(dockerfilePath);
  return { existingFiles: buildContextFilesToCheck(dockerfilePath).filter((name) => exists(folder + name)) };
}

/** The ignore file that applies to the Dockerfile, if the facts say one exists; undefined also when nothing is known. */
export function dockerignoreOf(facts: BuildContextFacts | undefined, dockerfilePath: string | undefined): string | undefined {
  if (!facts) return undefined;
  const candidates = dockerfilePath ? buildContextFilesToCheck(dockerfilePath) : [DOCKERIGNORE];
  return candidates.find((name) => facts.existingFiles.includes(name));
}

/** A key that changes when the facts do (the server compares analyses by it). */
export function buildContextKey(facts: BuildContextFacts | undefined): string {
  return facts ? facts.existingFiles.join('\n') : '?';
}

/** The ignore files as a glob, for an editor's file watcher. */
export const DOCKERIGNORE_GLOB = '**/{.dockerignore,*.dockerignore}';

/** `.dockerignore`, `Dockerfile.prod.dockerignore`: a change to it can change a Dockerfile's findings. */
export function isDockerignorePath(filePath: string): boolean {
  return baseName(filePath).endsWith(DOCKERIGNORE);
}
