/**
 * Dockerfiles that by their name build development, debugging or test images: `Dockerfile.dev`,
 * `Dockerfile.tilt`, `debug.Dockerfile`, `Dockerfile.controller_dev`, anything in `.devcontainer/`.
 * Their authors choose full, SDK-laden and moving bases on purpose (a compiler to rebuild in the
 * container, `:latest` of a local tools image), and the pods they start are not the ones whose
 * startup Podstart speeds up; rules about the shipped image skip them (each rule has an option).
 */
import type { RuleOptionSpec } from '../types';

/** Words of a file name, split at `.`, `-` and `_`, that mark such a file. */
export const DEVELOPMENT_FILE_WORDS: readonly string[] = ['dev', 'devel', 'development', 'debug', 'tilt', 'test', 'tests', 'fuzz', 'ci', 'local', 'devcontainer'];

export function isDevelopmentDockerfile(filePath: string | undefined): boolean {
  if (!filePath) return false;
  const segments = filePath.split(/[/\\]/);
  if (segments.includes('.devcontainer')) return true;
  const words = segments[segments.length - 1].toLowerCase().split(/[._-]+/);
  return words.some((word) => DEVELOPMENT_FILE_WORDS.includes(word));
}

/**
 * A build stage named for development (`dev`, `dev-envs`, `debug`, `test`): when it is the last
 * stage, it is a development target that builds on the shipped stages (Docker Dev Environments'
 * `FROM builder AS dev-envs`), and what it adds is not what the cluster runs.
 */
export function isDevelopmentStage(name: string | undefined): boolean {
  return name !== undefined && name.toLowerCase().split(/[._-]+/).some((word) => DEVELOPMENT_FILE_WORDS.includes(word));
}

/** The option every Dockerfile rule has, so that one setting name and meaning serve them all. */
export const SKIP_DEVELOPMENT_FILES_OPTION: RuleOptionSpec = {
  type: 'boolean',
  default: true,
  description:
    'Skip Dockerfiles named for development, debugging or tests: a word `dev`, `devel`, `development`, `debug`, `tilt`, `test`, `tests`, `fuzz`, `ci` or `local` in the file name (`Dockerfile.dev`, `debug.Dockerfile`), or a file in `.devcontainer/`.',
};
