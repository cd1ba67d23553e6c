import { isDevelopmentDockerfile, SKIP_DEVELOPMENT_FILES_OPTION } from '../core/dockerfile/development-files';
import type { DockerfileEditor } from '../core/dockerfile/editor';
import type { BuildStage, DockerInstruction, DockerfileModel } from '../core/dockerfile/model';
import { readRunScript, type RunScript } from '../core/dockerfile/run-commands';
import { shippedStages } from '../core/dockerfile/shipped-stages';
import { defineDockerfileRule } from '../core/rule';
import type { Fix, TextEdit } from '../core/types';

/**
 * Many RUN instructions in a row in the final image, each its own layer. Every layer is one more
 * blob the kubelet's runtime requests from the registry and unpacks, in order; and whatever one RUN
 * creates and a later one deletes (a download, a build tree, a cache) still ships in the earlier
 * layer. Joining the RUNs with `&&` makes one layer.
 *
 * The fix merges them into the first RUN: ` && \` at the end of each, the next one's `RUN` keyword
 * turned into spaces so its command keeps its place, empty lines between them dropped (Docker warns
 * on empty continuation lines) and comment lines kept. Each RUN starts a fresh shell, so merging
 * changes what a later command sees when an earlier one changes the shell's state; the fix is
 * offered only when none can: no `cd`, `export`, `set`, `source`, `.`, `umask`, variable
 * assignments or `exit` in any but the last, no flags (`--mount`), no exec form, no here-document,
 * no comment inside a command, no `SHELL` instruction and the default escape character. Otherwise the
 * finding comes without a fix. Merging does change the build cache: an edit to one command reruns all of them.
 */
interface Options {
  maxConsecutiveRuns: number;
  skipDevelopmentFiles: boolean;
}

/** Commands whose effect outlives them in the same shell, so that merging would change what follows. */
const SHELL_STATE = new Set(['cd', 'pushd', 'popd', 'export', 'unset', 'set', 'shopt', 'source', '.', 'alias', 'unalias', 'umask', 'ulimit', 'trap', 'exec', 'exit', 'return', 'declare', 'typeset', 'readonly', 'local', 'eval', 'enable', 'hash']);

export default defineDockerfileRule<Options>({
  meta: {
    id: 'dockerfile-consecutive-runs',
    stage: 'image-pull',
    defaultSeverity: 'info',
    description: 'More consecutive `RUN` instructions in the final image than `maxConsecutiveRuns` (4 by default), each making its own layer.',
    startupCost:
      'Each layer is one more blob to request from the registry and unpack in order (container runtimes download about 3 layers at a time and unpack one after another): a round trip of tens to hundreds of ms per layer, so 10 small RUN layers add up to about a second per node. Worse, what one RUN downloads or builds and a later RUN deletes still ships in the earlier layer, often tens to hundreds of MB.',
    fixable: true,
    options: {
      maxConsecutiveRuns: {
        type: 'number',
        default: 4,
        description: 'Most consecutive `RUN` instructions (nothing but comments between them) accepted in a stage of the final image; one more is reported.',
      },
      skipDevelopmentFiles: SKIP_DEVELOPMENT_FILES_OPTION,
    },
  },
  check({ dockerfile, fileName, options, edit, report }) {
    if (options.skipDevelopmentFiles && isDevelopmentDockerfile(fileName)) return;
    for (const stage of shippedStages(dockerfile)) {
      for (const group of consecutiveRuns(stage)) {
        if (group.length <= options.maxConsecutiveRuns) continue;
        const first = group[0];
        const lastLine = dockerfile.lines.positionAt(group[group.length - 1].span.end).line + 1;
        const keyword = first.node.getInstructionRange();
        const fix = mergeFix(dockerfile, stage, group, edit);
        report({
          target: dockerfile.spanOf(keyword),
          message: `${group.length} consecutive RUN instructions (lines ${first.line + 1}–${lastLine}) make ${group.length} layers in the final image, each one more blob to pull and unpack, and files one of them deletes still ship in an earlier one. Join them into one RUN with \`&&\`${fix ? '' : ' (the quick fix is not offered: ' + fixBlocker(dockerfile, stage, group) + ')'}.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});

/** Runs of RUN instructions with no other instruction between them. */
function consecutiveRuns(stage: BuildStage): DockerInstruction[][] {
  const groups: DockerInstruction[][] = [];
  let current: DockerInstruction[] = [];
  for (const instruction of stage.instructions) {
    if (instruction.keyword === 'RUN') {
      current.push(instruction);
      continue;
    }
    if (current.length > 0) groups.push(current);
    current = [];
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Why the RUNs cannot be merged safely, for the message; undefined when they can. */
function fixBlocker(dockerfile: DockerfileModel, stage: BuildStage, group: DockerInstruction[]): string | undefined {
  if (dockerfile.ast.getEscapeCharacter() !== '\\') return 'the Dockerfile changes the escape character';
  const shellSet = dockerfile.stages.some((candidate) => candidate.inFinalImage && candidate.index <= stage.index && candidate.instructions.some((instruction) => instruction.keyword === 'SHELL' && instruction.span.start < group[0].span.start));
  if (shellSet) return 'a SHELL instruction sets another shell';
  const scripts = group.map((instruction) => readRunScript(dockerfile, instruction));
  for (const [index, script] of scripts.entries()) {
    const line = group[index].line + 1;
    if (!script) return `the RUN on line ${line} has no command`;
    if (script.form === 'exec') return `the RUN on line ${line} is in exec form`;
    if (script.form === 'heredoc') return `the RUN on line ${line} has a here-document`;
    if (script.flags.length > 0) return `the RUN on line ${line} has flags`;
    if (script.hasComment) return `the RUN on line ${line} has a comment inside its command`;
    if (script.endsWithSeparator) return `the RUN on line ${line} ends with an operator`;
    if (dockerfile.lines.positionAt(script.scriptStart).line !== group[index].line) return `the RUN on line ${line} starts its command on the next line`;
    if (index < scripts.length - 1) {
      const state = changesShellState(script);
      if (state) return `\`${state}\` on line ${line} would carry over into the RUNs after it`;
    }
  }
  return undefined;
}

function changesShellState(script: RunScript): string | undefined {
  for (const command of script.commands) {
    if (command.program === undefined) return command.words[0]?.value;
    if (SHELL_STATE.has(command.program) && command.words.length - command.args.length - 1 === 0) return command.program;
  }
  return undefined;
}

function mergeFix(dockerfile: DockerfileModel, stage: BuildStage, group: DockerInstruction[], edit: DockerfileEditor): Fix | undefined {
  if (fixBlocker(dockerfile, stage, group) !== undefined) return undefined;
  const { lines } = dockerfile;
  const edits: TextEdit[] = [];
  for (let index = 1; index < group.length; index++) {
    const previous = readRunScript(dockerfile, group[index - 1])!;
    const current = readRunScript(dockerfile, group[index])!;
    edits.push(edit.replace({ start: previous.scriptEnd, end: previous.scriptEnd }, ' && \\'));
    // Lines between the two RUNs: keep comments, drop empty lines.
    const previousLastLine = lines.positionAt(group[index - 1].span.end).line;
    for (let line = previousLastLine + 1; line < group[index].line; line++) {
      if (lines.lineText(line).trim() === '') edits.push(edit.replace({ start: lines.lineStart(line), end: lines.lineStart(line + 1) }, ''));
    }
    // `RUN   make` → `      make`: the command keeps its column.
    const keywordStart = dockerfile.spanOf(group[index].node.getInstructionRange()).start;
    edits.push(edit.replace({ start: keywordStart, end: current.scriptStart }, ' '.repeat(current.scriptStart - keywordStart)));
  }
  return { title: `Join these ${group.length} RUN instructions into one`, edits, safe: true };
}
