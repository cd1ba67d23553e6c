/**
 * Loads dockerfile-ast on first use: only a Dockerfile needs it, and the language server's first
 * diagnostics are most often for a manifest. In dist/ the require below is rewritten by
 * scripts/build.mjs to the separate bundle dist/dockerfile-ast.js next to the one running, so the
 * server does not even read or compile it at start; from source (tsx) it loads the package.
 */
import type * as DockerfileAst from 'dockerfile-ast';

let loaded: typeof DockerfileAst | undefined;

/** The dockerfile-ast package, loaded at the first call. */
export function dockerfileAst(): typeof DockerfileAst {
  loaded ??= require('dockerfile-ast') as typeof DockerfileAst;
  return loaded;
}
