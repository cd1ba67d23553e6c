import { DOCKERIGNORE, dockerignoreOf } from '../core/dockerfile/build-context';
import { copiesFromElsewhere, copyOperandsOf } from '../core/dockerfile/copy-operands';
import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileModel } from '../core/dockerfile/model';
import { packageCommandOf } from '../core/dockerfile/package-commands';
import { readRunScript } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule } from '../core/rule';
import type { Fix } from '../core/types';

/**
 * `COPY . .` (or `ADD .`, `COPY * ./`) into the final image with no `.dockerignore` in the build
 * context: the whole folder goes into the image, `.git` and local `node_modules`, virtualenvs,
 * logs, build outputs and `.env` files included, and since `.git` changes with every commit, so
 * does that layer and every layer after it.
 *
 * Whether a `.dockerignore` exists is a fact the front end supplies (the CLI and the language
 * server look beside the Dockerfile, taking its folder as the build context); where nobody looked
 * (standard input, an unsaved editor) the rule says nothing. Stages outside the final image are
 * not reported. The fix creates a `.dockerignore` with common entries, chosen from what the
 * Dockerfile does (`node_modules` when it installs with npm, `__pycache__` when it runs pip, `.git`
 * unless it runs git) and leaving out anything a COPY or ADD names. It is not safe: the build may
 * read a file the new list excludes. The editor offers it; `--fix` does not apply it.
 */
interface Options {
  skipDevelopmentFiles: boolean;
}

/** Sources that copy the whole build context. */
const WHOLE_CONTEXT = new Set(['.', './', '*', './*']);

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-missing-dockerignore',
    stage: 'image-pull',
    defaultSeverity: 'warning',
    description: '`COPY .` or `ADD .` into the final image with no `.dockerignore` beside the Dockerfile, so that `.git`, local dependencies and build outputs go into the image.',
    startupCost:
      'Whatever sits in the folder ships to every node: a `.git` history is often tens to hundreds of MB, a local `node_modules` 100–500 MB, a Python virtualenv as much. And since `.git` changes with every commit, the copied layer and every layer after it change with each build, so nodes pull them again at each rollout instead of reusing what they cached: 100 MB is 8 s at 100 Mbit/s.',
    fixable: true,
    options: {
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, buildContext, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    if (!buildContext || dockerignoreOf(buildContext, fileName)) return;
    let fixOffered = false;
    for (const stage of shippedStages(dockerfile)) {
      for (const instruction of stage.instructions) {
        const operands = copyOperandsOf(dockerfile, instruction);
        if (!operands || copiesFromElsewhere(operands)) continue;
        const whole = operands.sources.find((source) => WHOLE_CONTEXT.has(source.value));
        if (!whole) continue;
        // One file fixes them all: the fix goes with the first finding only.
        const fixes: Fix[] = fixOffered ? [] : [createDockerignoreFix(dockerfile)];
        fixOffered = true;
        report({
          target: whole.span,
          message: `\`${instruction.keyword} ${whole.value}\` copies the whole build context into the final image, and there is no .dockerignore beside this Dockerfile: \`.git\`, local dependencies, logs and build outputs ship with it, and since \`.git\` changes with every commit, so do this layer and every layer after it, for every node to pull again. Add a .dockerignore (the build context is taken to be this Dockerfile's folder).`,
          fixes,
        });
      }
    }
  },
});

/** A `.dockerignore` for this Dockerfile: common entries, minus anything the build visibly needs. */
function createDockerignoreFix(dockerfile: DockerfileModel): Fix {
  const programs = new Set<string>();
  for (const instruction of dockerfile.instructions) {
    for (const command of readRunScript(dockerfile, instruction)?.commands ?? []) {
      if (command.program) programs.add(packageCommandOf(command)?.manager === 'pip' ? 'pip' : command.program);
    }
  }
  const named = dockerfile.instructions.flatMap((instruction) => copyOperandsOf(dockerfile, instruction)?.sources.map((source) => source.value.replace(/^\.\//, '').replace(/\/+$/, '')) ?? []);
  // An entry is left out when it would exclude a file or folder a COPY or ADD names (or one inside it).
  const needed = (entry: string) => {
    const glob = entry
      .split('**/')
      .map((part) => part.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
      .join('(.*/)?');
    const pattern = new RegExp(`^${glob}(/.*)?$`);
    return named.some((source) => pattern.test(source));
  };
  const sections: Array<{ comment: string; entries: string[] }> = [
    { comment: 'Version control: changes with every commit, and the build does not read it.', entries: programs.has('git') ? [] : ['.git'] },
    { comment: 'Dependencies the image installs itself.', entries: programs.has('npm') || programs.has('yarn') || programs.has('pnpm') ? ['**/node_modules'] : [] },
    { comment: 'Python caches and virtual environments.', entries: programs.has('pip') || programs.has('python') || programs.has('python3') || programs.has('uv') || programs.has('poetry') ? ['**/__pycache__', '**/*.py[cod]', '.venv'] : [] },
    { comment: 'Local files that do not belong in an image.', entries: ['**/*.log', '.env', '**/.DS_Store'] },
    { comment: 'The build files themselves (docker build still reads them).', entries: ['Dockerfile*', '*.dockerfile', DOCKERIGNORE] },
  ];
  const lines = ['# Created by Podstart (dockerfile-missing-dockerignore): what the image does not need stays out of', '# the build context. Review it: nothing the Dockerfile copies may be listed here.'];
  for (const section of sections) {
    const entries = section.entries.filter((entry) => !needed(entry));
    if (entries.length === 0) continue;
    lines.push('', `# ${section.comment}`, ...entries);
  }
  return { title: 'Create a .dockerignore beside this Dockerfile (review its entries)', edits: [], safe: false, createFiles: [{ relativePath: DOCKERIGNORE, text: `${lines.join('\n')}\n` }] };
}
