/**
 * A Dockerfile as the Dockerfile rules see it: parsed once (with dockerfile-ast), split into build
 * stages, each stage's base image resolved through the global `ARG` defaults, and every position
 * given as file offsets, so rules report spans and the engine turns them into ranges.
 *
 * Stage awareness is the point: only the final stage, and the stages it builds on (`FROM build AS
 * final`), end up in the image a pod pulls. A builder stage can be as fat as it likes. The final
 * stage is the last one, as `docker build` picks without `--target`; a build that names another
 * target ships that stage instead, which rules mention where it changes the advice.
 */
import type { Arg, Dockerfile, From, Instruction } from 'dockerfile-ast';
import { dockerfileAst } from './dockerfile-ast-module';
import { parseImageReference, type ImageReference } from '../image-reference';
import { LineIndex } from '../line-index';
import type { Position } from '../types';
import { expandVariables } from './variables';

/** Half-open file offsets. */
export interface Span {
  start: number;
  end: number;
}

/** A position range as dockerfile-ast gives it (zero-based lines and UTF-16 characters). */
export interface SourceRange {
  start: Position;
  end: Position;
}

export interface DockerInstruction {
  /** Upper-case keyword: FROM, RUN, COPY... */
  keyword: string;
  node: Instruction;
  /** The whole instruction, continuation lines included. */
  span: Span;
  /** Zero-based line the instruction starts on: where `# podstart-disable-next-line` goes above. */
  line: number;
  /** The stage it belongs to; undefined for the global `ARG`s before the first `FROM`. */
  stage?: BuildStage;
}

/** One `ARG` declaration: `ARG NAME`, `ARG NAME=default`. */
export interface BuildArg {
  name: string;
  /** The default as written (quotes removed), or undefined when there is none. */
  defaultText?: string;
  /** The default with earlier global ARGs substituted; undefined without a default or when it cannot be resolved. */
  value?: string;
  /** Span of the default's text, when there is one. */
  defaultSpan?: Span;
  /** Span of `NAME` (or `NAME=default`). */
  span: Span;
  instruction: DockerInstruction;
}

export interface BaseImage {
  /** The image argument of `FROM` as written: `python:${PY_VERSION}-slim`. */
  text: string;
  span: Span;
  /** The text with the global ARG defaults substituted and quotes removed; undefined when a variable has no value. */
  resolved?: string;
  /** The build arguments the text uses (global ARGs only: `FROM` sees no others). */
  variables: string[];
  /** Variables without a default value (or in a form that is not evaluated). */
  unresolved: string[];
  /** The resolved reference parsed; undefined for `scratch`, stage names and unresolved text. */
  reference?: ImageReference;
  /** The earlier stage this `FROM` builds on, when it names one. */
  stage?: BuildStage;
  /** `FROM scratch`: an empty base. */
  scratch: boolean;
}

export interface BuildStage {
  /** Zero-based, as `COPY --from=0` counts. */
  index: number;
  /** The `AS` name as written, if any. */
  name?: string;
  from: DockerInstruction;
  /** Undefined when `FROM` has no image argument (a broken Dockerfile). */
  base?: BaseImage;
  /** The instructions after `FROM`, up to the next stage. */
  instructions: DockerInstruction[];
  /** The last stage: what `docker build` ships without `--target`. */
  isFinal: boolean;
  /** Whether this stage's files are part of the final image: the final stage and the stages it builds on. */
  inFinalImage: boolean;
  /** How messages name the stage: "stage `build`", "stage 2". */
  label: string;
}

export interface DockerfileModel {
  text: string;
  lines: LineIndex;
  ast: Dockerfile;
  /** Every instruction in file order (ONBUILD triggers are part of their ONBUILD instruction). */
  instructions: DockerInstruction[];
  /** `ARG`s declared before the first `FROM`: the only build arguments `FROM` can use. */
  globalArgs: Map<string, BuildArg>;
  stages: BuildStage[];
  /** The last stage; undefined when the file has no `FROM`. */
  finalStage?: BuildStage;
  /** Offsets of a dockerfile-ast range. */
  spanOf(range: SourceRange): Span;
  /** The instruction whose text contains the offset, if any. */
  instructionAt(offset: number): DockerInstruction | undefined;
}

const SCRATCH = 'scratch';

export function parseDockerfile(text: string, lines = new LineIndex(text)): DockerfileModel {
  const ast = dockerfileAst().DockerfileParser.parse(text);
  const spanOf = (range: SourceRange): Span => ({ start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) });
  const instructions: DockerInstruction[] = ast.getInstructions().map((node) => {
    const range = node.getRange();
    return { keyword: node.getKeyword().toUpperCase(), node, span: spanOf(range), line: range.start.line };
  });

  const globalArgs = new Map<string, BuildArg>();
  const stages: BuildStage[] = [];
  let current: BuildStage | undefined;
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      current = newStage(instruction, stages, globalArgs, spanOf);
      stages.push(current);
      continue;
    }
    instruction.stage = current;
    if (current) current.instructions.push(instruction);
    else if (instruction.keyword === 'ARG') declareGlobalArgs(instruction, globalArgs, spanOf);
  }

  const finalStage = stages[stages.length - 1];
  if (finalStage) {
    finalStage.isFinal = true;
    // The final image holds the final stage and every stage it is built FROM.
    for (let stage: BuildStage | undefined = finalStage; stage && !stage.inFinalImage; stage = stage.base?.stage) stage.inFinalImage = true;
  }

  const instructionAt = (offset: number) => {
    let low = 0;
    let high = instructions.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const { span } = instructions[mid];
      if (offset < span.start) high = mid - 1;
      else if (offset >= span.end) low = mid + 1;
      else return instructions[mid];
    }
    return undefined;
  };
  return { text, lines, ast, instructions, globalArgs, stages, finalStage, spanOf, instructionAt };
}

function declareGlobalArgs(instruction: DockerInstruction, globalArgs: Map<string, BuildArg>, spanOf: (range: SourceRange) => Span): void {
  for (const property of (instruction.node as Arg).getProperties()) {
    const name = property.getName();
    const defaultText = property.getValue() ?? undefined;
    const valueRange = property.getValueRange();
    // A default may use the global ARGs declared before it: `ARG BASE=${REGISTRY}/python:3.12`.
    const value = defaultText === undefined ? undefined : expandVariables(defaultText, (other) => globalArgs.get(other)?.value).value;
    globalArgs.set(name, {
      name,
      defaultText,
      value,
      defaultSpan: valueRange ? spanOf(valueRange) : undefined,
      span: spanOf(property.getRange()),
      instruction,
    });
  }
}

function newStage(instruction: DockerInstruction, earlier: BuildStage[], globalArgs: Map<string, BuildArg>, spanOf: (range: SourceRange) => Span): BuildStage {
  const from = instruction.node as From;
  const index = earlier.length;
  const name = from.getBuildStage() ?? undefined;
  const stage: BuildStage = {
    index,
    name,
    from: instruction,
    instructions: [],
    isFinal: false,
    inFinalImage: false,
    label: name ? `stage \`${name}\`` : `stage ${index}`,
  };
  instruction.stage = stage;
  const imageRange = from.getImageRange();
  const text = from.getImage();
  if (imageRange && text) stage.base = baseImage(text, spanOf(imageRange), earlier, globalArgs);
  return stage;
}

/** `"gcr.io/distroless/static"`: Docker reads a quoted word without its quotes. */
export function unquote(text: string): string {
  const trimmed = text.trim();
  return /^(["']).*\1$/.test(trimmed) && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
}

function baseImage(text: string, span: Span, earlier: BuildStage[], globalArgs: Map<string, BuildArg>): BaseImage {
  const expansion = expandVariables(text, (name) => globalArgs.get(name)?.value);
  const resolved = expansion.value === undefined ? undefined : unquote(expansion.value);
  const base: BaseImage = { text, span, resolved, variables: expansion.variables, unresolved: expansion.unresolved, scratch: false };
  if (!resolved) return base;
  // Stage names are case-insensitive, and only stages declared earlier can be built on.
  const lower = resolved.toLowerCase();
  base.stage = earlier.find((stage) => stage.name?.toLowerCase() === lower);
  if (base.stage) return base;
  if (lower === SCRATCH) {
    base.scratch = true;
    return base;
  }
  base.reference = parseImageReference(resolved);
  return base;
}

/** The stage's base, followed through `FROM <stage>` to the image the chain starts from. */
export function rootBaseOf(stage: BuildStage): { stage: BuildStage; base?: BaseImage } {
  let current = stage;
  const seen = new Set<BuildStage>();
  while (current.base?.stage && !seen.has(current)) {
    seen.add(current);
    current = current.base.stage;
  }
  return { stage: current, base: current.base };
}
