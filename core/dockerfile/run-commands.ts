/**
 * What a `RUN` instruction runs, read word by word with the file offset of every word, so rules can
 * underline `apt-get install` exactly and insert `--no-cache-dir` after it.
 *
 * Docker first joins the instruction's lines (the escape character before a line break continues
 * it; comment and empty lines inside are dropped) and hands the result to `/bin/sh -c`. This reader
 * does the same join while remembering where each character came from, then splits the script the
 * way a POSIX shell does at its top: words (quotes, escapes, `$(...)`, `${...}` and backticks kept
 * in one word), operators (`&&`, `||`, `;`, `|`, `&`, parentheses), redirections, comments, and the
 * control keywords (`if ... then`, `for ... do`, `case ... esac`) that stand before a command. It is
 * not a shell: it expands nothing and does not look inside `$(...)`, which is enough to tell which
 * programs a RUN runs with which arguments.
 *
 * Why not a package: `shell-quote` keeps no positions and expands `$VAR` to nothing;
 * `@ericcornelissen/bash-parser` keeps positions but took about 7 ms per RUN (5 s over the 279
 * Dockerfiles of the corpus) and rejected 8% of their RUN scripts.
 *
 * The exec form (`RUN ["pip", "install", "x"]`) is read as one command without a shell, and a
 * here-document (`RUN <<EOF`) as the script it holds, one command per line.
 */
import type { Run } from 'dockerfile-ast';
import { commandOf } from '../shell-commands';
import type { DockerInstruction, DockerfileModel, Span } from './model';
import { shippedStages } from './shipped-stages';

export interface ShellWord {
  /** The word as the program receives it: quotes and escapes removed, expansions (`$X`, `$(...)`) kept as written. */
  value: string;
  /** The word's text in the file, quotes included. */
  span: Span;
}

/** What follows a command: `&&`, `||`, `;` (or a line break), `|`, `&`, or the end of the script. */
export type CommandSeparator = '&&' | '||' | ';' | '|' | '&' | 'end';

export interface ShellCommand {
  /** Its words, variable assignments and wrappers (`sudo`, `env X=1`, `timeout 30`) included; redirections left out. */
  words: ShellWord[];
  /** Basename of the program it runs (`/usr/bin/apt-get` → `apt-get`); undefined for an assignment alone. */
  program?: string;
  /** The words after the program. */
  args: ShellWord[];
  separator: CommandSeparator;
  /** Inside `( )`, `{ }`, `$( )`-free control structures (`if`, `for`, `while`, `case`): it may run conditionally. */
  nested: boolean;
  span: Span;
}

export type RunForm = 'shell' | 'exec' | 'heredoc';

export interface RunFlag {
  name: string;
  value?: string;
}

export interface RunScript {
  instruction: DockerInstruction;
  form: RunForm;
  /** Every simple command, in order. */
  commands: ShellCommand[];
  /** `--mount`, `--network`... as written. */
  flags: RunFlag[];
  /**
   * Targets of `--mount=type=cache` and `--mount=type=tmpfs`: what a command writes there stays
   * out of the layer.
   */
  uncommittedPaths: string[];
  /** The script holds a shell comment (`# ...`), which swallows whatever is appended on its line. */
  hasComment: boolean;
  /** The script ends with `;`, `&`, `|`, `&&` or `||`, after which `&& more` would not parse. */
  endsWithSeparator: boolean;
  /** Offset just after the script's last character (before trailing spaces, continuations and comment lines); where text is appended. */
  scriptEnd: number;
  /** Offset of the script's first character (after `RUN` and its flags). */
  scriptStart: number;
}

const scripts = new WeakMap<DockerInstruction, RunScript | undefined>();

/** The RUN instruction read as above; undefined for other instructions and for a RUN with no command. Computed once per instruction. */
export function readRunScript(model: DockerfileModel, instruction: DockerInstruction): RunScript | undefined {
  if (instruction.keyword !== 'RUN') return undefined;
  if (scripts.has(instruction)) return scripts.get(instruction);
  const script = read(model, instruction);
  scripts.set(instruction, script);
  return script;
}

/** The RUN scripts of the stages whose files end up in the shipped image (core/dockerfile/shipped-stages.ts), in order. */
export function finalImageRunScripts(model: DockerfileModel): RunScript[] {
  return shippedStages(model).flatMap((stage) => stage.instructions.flatMap((instruction) => readRunScript(model, instruction) ?? []));
}

/** The word that names the command's program (after assignments and wrappers). */
export function programWord(command: ShellCommand): ShellWord | undefined {
  return command.program === undefined ? undefined : command.words[command.words.length - command.args.length - 1];
}

/** Whether the RUN can take text appended after its last command: a shell script with no comment, not ending in `;`, `&` or `|`. */
export function acceptsAppendedCommand(script: RunScript): boolean {
  return script.form === 'shell' && !script.hasComment && !script.endsWithSeparator && script.commands.length > 0;
}

function read(model: DockerfileModel, instruction: DockerInstruction): RunScript | undefined {
  const node = instruction.node as Run;
  const argumentsRange = node.getArgumentsRange();
  if (!argumentsRange) return undefined;
  const flags = node.getFlags().map((flag) => ({ name: flag.getName(), value: flag.getValue() ?? undefined }));
  const uncommittedPaths = flags.flatMap((flag) => (flag.name === 'mount' && flag.value ? uncommittedMountTarget(flag.value) : []));
  const scriptStart = model.spanOf({ start: argumentsRange.start, end: argumentsRange.start }).start;
  const base = { instruction, flags, uncommittedPaths, scriptStart };

  const heredocs = node.getHeredocs();
  if (heredocs.length > 0) {
    // `RUN <<EOF` runs the here-document's lines as a script; only the first one is read.
    const content = heredocs[0].getContentRange();
    if (!content) return undefined;
    const span = model.spanOf(content);
    const source = { text: model.text.slice(span.start, span.end), offsets: offsetsFrom(span.start, span.end - span.start) };
    const { commands, hasComment, endsWithSeparator } = splitScript(source, true);
    return { ...base, form: 'heredoc', commands, hasComment, endsWithSeparator, scriptEnd: span.end };
  }

  const strings = node.getOpeningBracket() ? node.getJSONStrings() : [];
  if (strings.length > 0) {
    const words = strings.map((string) => ({ value: string.getJSONValue(), span: model.spanOf(string.getRange()) }));
    const end = model.spanOf(node.getClosingBracket()?.getRange() ?? strings[strings.length - 1].getRange()).end;
    return { ...base, form: 'exec', commands: [commandFrom(words, 'end', false)], hasComment: false, endsWithSeparator: false, scriptEnd: end };
  }

  const source = joinLines(model.text, scriptStart, instruction.span.end, model.ast.getEscapeCharacter());
  if (source.text.trim() === '') return undefined;
  const { commands, hasComment, endsWithSeparator } = splitScript(source, false);
  let last = source.text.length - 1;
  while (last > 0 && /\s/.test(source.text[last])) last--;
  return { ...base, form: 'shell', commands, hasComment, endsWithSeparator, scriptEnd: source.offsets[last] + 1 };
}

/** `type=cache,target=/root/.cache/pip` (or `dst=`, `destination=`): the target, for cache and tmpfs mounts. */
function uncommittedMountTarget(value: string): string[] {
  const options = new Map(value.split(',').map((option) => {
    const equals = option.indexOf('=');
    return equals === -1 ? [option.trim(), ''] : [option.slice(0, equals).trim(), option.slice(equals + 1).trim()];
  }));
  if (options.get('type') !== 'cache' && options.get('type') !== 'tmpfs') return [];
  const target = options.get('target') ?? options.get('dst') ?? options.get('destination');
  return target ? [target.replace(/^["']|["']$/g, '')] : [];
}

/** Script text with the file offset of each of its characters. */
interface Source {
  text: string;
  offsets: number[];
}

function offsetsFrom(start: number, length: number): number[] {
  return Array.from({ length }, (_, index) => start + index);
}

/**
 * Docker's line join: the escape character, optional blanks and a line break continue the
 * instruction on the next line, whose comment lines and empty lines are skipped.
 */
function joinLines(text: string, start: number, end: number, escapeChar: string): Source {
  let joined = '';
  const offsets: number[] = [];
  let index = start;
  while (index < end) {
    const ch = text[index];
    if (ch === escapeChar) {
      let next = index + 1;
      while (next < end && (text[next] === ' ' || text[next] === '\t')) next++;
      if (text[next] === '\r' && text[next + 1] === '\n') next++;
      if (next >= end || text[next] === '\n') {
        index = skipCommentAndEmptyLines(text, next + 1, end);
        continue;
      }
    }
    joined += ch;
    offsets.push(index);
    index++;
  }
  return { text: joined, offsets };
}

function skipCommentAndEmptyLines(text: string, lineStart: number, end: number): number {
  let index = lineStart;
  while (index < end) {
    let first = index;
    while (first < end && (text[first] === ' ' || text[first] === '\t')) first++;
    const isComment = text[first] === '#';
    const isEmpty = first >= end || text[first] === '\n' || (text[first] === '\r' && text[first + 1] === '\n');
    if (!isComment && !isEmpty) return index;
    const lineEnd = text.indexOf('\n', first);
    if (lineEnd === -1 || lineEnd >= end) return end;
    index = lineEnd + 1;
  }
  return index;
}

type Token = { kind: 'word'; word: ShellWord } | { kind: 'operator'; operator: string; start: number; end: number };

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];
const OPERATOR_START = /[&|;()]/;
const REDIRECTION = /^(\d*)(>>|>&|>\||<<<|<<-|<<|<&|<>|&>>|&>|>|<)/;

/** Splits a joined script into tokens, each with its file span. */
function tokenize(source: Source, lineBreaksSeparate: boolean): { tokens: Token[]; hasComment: boolean } {
  const { text, offsets } = source;
  const tokens: Token[] = [];
  let hasComment = false;
  /** Delimiters of `<<EOF` redirections on the current line, whose data starts on the next. */
  const pendingHereDocuments: string[] = [];
  const spanOf = (start: number, end: number): Span => ({ start: offsets[start], end: offsets[end - 1] + 1 });
  let index = 0;
  while (index < text.length) {
    const ch = text[index];
    if (ch === '\n') {
      if (lineBreaksSeparate) tokens.push({ kind: 'operator', operator: ';', ...spanOf(index, index + 1) });
      if (pendingHereDocuments.length > 0) {
        index = skipHereDocuments(text, index, pendingHereDocuments);
        pendingHereDocuments.length = 0;
      }
      index++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      index++;
      continue;
    }
    if (ch === '#') {
      hasComment = true;
      const lineEnd = text.indexOf('\n', index);
      index = lineEnd === -1 ? text.length : lineEnd;
      continue;
    }
    const redirection = /[\d<>&]/.test(ch) ? REDIRECTION.exec(text.slice(index, index + 8)) : null;
    if (redirection) {
      const length = redirection[0].length;
      tokens.push({ kind: 'operator', operator: redirection[2], ...spanOf(index, index + length) });
      index += length;
      if (lineBreaksSeparate && redirection[2].startsWith('<<') && redirection[2] !== '<<<') {
        let delimiterStart = index;
        while (text[delimiterStart] === ' ' || text[delimiterStart] === '\t') delimiterStart++;
        const delimiter = unquote(text.slice(delimiterStart, wordEnd(text, delimiterStart)));
        if (delimiter) pendingHereDocuments.push(delimiter);
      }
      continue;
    }
    const operator = OPERATOR_START.test(ch) ? OPERATORS.find((candidate) => text.startsWith(candidate, index)) : undefined;
    if (operator) {
      tokens.push({ kind: 'operator', operator, ...spanOf(index, index + operator.length) });
      index += operator.length;
      continue;
    }
    const end = wordEnd(text, index);
    tokens.push({ kind: 'word', word: { value: unquote(text.slice(index, end)), span: spanOf(index, end) } });
    index = end;
  }
  return { tokens, hasComment };
}

/**
 * In a script of several lines, `cat <<EOF > /etc/app.conf` is followed by lines of data up to a
 * line `EOF`. Skips those lines, starting at the line break that ends the command's line; returns
 * where the script goes on (the line break after the delimiter line).
 */
function skipHereDocuments(text: string, lineBreak: number, delimiters: string[]): number {
  let line = lineBreak + 1;
  for (const delimiter of delimiters) {
    for (;;) {
      if (line >= text.length) return text.length;
      const next = text.indexOf('\n', line);
      const content = text.slice(line, next === -1 ? text.length : next).replace(/\r$/, '');
      line = next === -1 ? text.length : next + 1;
      if (content.replace(/^\t+/, '') === delimiter) break;
    }
  }
  return Math.max(lineBreak, line - 1);
}

/** Where the word starting at `start` ends: at a blank or an operator outside quotes and expansions. */
function wordEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length) {
    const ch = text[index];
    if (ch === '\\') {
      index += 2;
    } else if (ch === "'") {
      const close = text.indexOf("'", index + 1);
      index = close === -1 ? text.length : close + 1;
    } else if (ch === '"') {
      index = doubleQuotedEnd(text, index + 1);
    } else if (ch === '`') {
      const close = text.indexOf('`', index + 1);
      index = close === -1 ? text.length : close + 1;
    } else if (ch === '$' && (text[index + 1] === '(' || text[index + 1] === '{')) {
      index = balancedEnd(text, index + 1);
    } else if (/[\s;&|()<>]/.test(ch)) {
      break;
    } else {
      index++;
    }
  }
  return Math.min(index, text.length);
}

function doubleQuotedEnd(text: string, from: number): number {
  let index = from;
  while (index < text.length) {
    const ch = text[index];
    if (ch === '\\') index += 2;
    else if (ch === '"') return index + 1;
    else if (ch === '$' && (text[index + 1] === '(' || text[index + 1] === '{')) index = balancedEnd(text, index + 1);
    else if (ch === '`') {
      const close = text.indexOf('`', index + 1);
      index = close === -1 ? text.length : close + 1;
    } else index++;
  }
  return text.length;
}

/** The end of `(...)` or `{...}` starting at `open`, nested pairs and quotes inside skipped. */
function balancedEnd(text: string, open: number): number {
  const opening = text[open];
  const closing = opening === '(' ? ')' : '}';
  let depth = 0;
  let index = open;
  while (index < text.length) {
    const ch = text[index];
    if (ch === '\\') {
      index += 2;
      continue;
    }
    if (ch === "'" && opening === '(') {
      const close = text.indexOf("'", index + 1);
      index = close === -1 ? text.length : close + 1;
      continue;
    }
    if (ch === '"') {
      index = doubleQuotedEnd(text, index + 1);
      continue;
    }
    if (ch === opening) depth++;
    else if (ch === closing && --depth === 0) return index + 1;
    index++;
  }
  return text.length;
}

/** The value of a word: quotes removed, backslash escapes resolved, expansions kept as written. */
function unquote(raw: string): string {
  let value = '';
  let index = 0;
  while (index < raw.length) {
    const ch = raw[index];
    if (ch === '\\') {
      value += raw[index + 1] ?? '';
      index += 2;
    } else if (ch === "'") {
      const close = raw.indexOf("'", index + 1);
      const end = close === -1 ? raw.length : close;
      value += raw.slice(index + 1, end);
      index = end + 1;
    } else if (ch === '"') {
      const end = doubleQuotedEnd(raw, index + 1);
      value += raw.slice(index + 1, Math.max(index + 1, end - 1)).replace(/\\([$`"\\])/g, '$1');
      index = end;
    } else if (ch === '$' && (raw[index + 1] === '(' || raw[index + 1] === '{')) {
      const end = balancedEnd(raw, index + 1);
      value += raw.slice(index, end);
      index = end;
    } else {
      value += ch;
      index++;
    }
  }
  return value;
}

/** Keywords that may stand before a command; the command follows them. */
const LEADING_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
/** Keywords that close a structure; a command may follow them only after a separator. */
const CLOSING_KEYWORDS = new Set(['fi', 'done', 'esac', '}']);
/** Keywords that open a structure whose body runs conditionally or repeatedly. */
const OPENING_KEYWORDS = new Set(['if', 'while', 'until', 'for', 'case', '{']);
const CLOSES = new Set(['fi', 'done', 'esac', '}']);

/** Groups tokens into simple commands. */
function splitScript(source: Source, lineBreaksSeparate: boolean): { commands: ShellCommand[]; hasComment: boolean; endsWithSeparator: boolean } {
  const { tokens, hasComment } = tokenize(source, lineBreaksSeparate);
  const lastToken = tokens[tokens.length - 1];
  const endsWithSeparator = lastToken?.kind === 'operator' && ['&&', '||', ';', ';;', '|', '|&', '&'].includes(lastToken.operator);
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let depth = 0;
  let skipRestOfCommand = false;
  let skipNextWord = false;
  /** Inside `case ... in`, before a pattern's `)`. */
  let inCasePattern = false;
  let caseDepth = 0;
  /** Between `case` and its `in`. */
  let caseHeader = false;
  let commandNested = false;

  const flush = (separator: CommandSeparator) => {
    if (words.length > 0 && !skipRestOfCommand) commands.push(commandFrom(words, separator, commandNested));
    words = [];
    skipRestOfCommand = false;
    skipNextWord = false;
  };

  for (const token of tokens) {
    if (token.kind === 'operator') {
      const { operator } = token;
      if (REDIRECTION.test(operator) && !OPERATORS.includes(operator)) {
        skipNextWord = true;
        continue;
      }
      if (inCasePattern) {
        if (operator === ')') inCasePattern = false;
        continue;
      }
      if (operator === '(') {
        flush(';');
        depth++;
        continue;
      }
      if (operator === ')') {
        flush(';');
        depth = Math.max(0, depth - 1);
        continue;
      }
      if (operator === ';;') {
        flush(';');
        if (caseDepth > 0) inCasePattern = true;
        continue;
      }
      flush(operator === '|&' ? '|' : (operator as CommandSeparator));
      continue;
    }
    const { word } = token;
    if (skipNextWord) {
      skipNextWord = false;
      continue;
    }
    if (inCasePattern) {
      if (word.value === 'esac') {
        inCasePattern = false;
        caseDepth = Math.max(0, caseDepth - 1);
        depth = Math.max(0, depth - 1);
      }
      continue;
    }
    if (skipRestOfCommand) {
      if (word.value === 'in' && caseHeader) {
        // `case WORD in`: patterns follow, each closed by `)`.
        caseHeader = false;
        skipRestOfCommand = false;
        inCasePattern = true;
      }
      continue;
    }
    if (words.length === 0) {
      if (CLOSES.has(word.value) && CLOSING_KEYWORDS.has(word.value)) {
        depth = Math.max(0, depth - 1);
        if (word.value === 'esac') caseDepth = Math.max(0, caseDepth - 1);
        continue;
      }
      if (OPENING_KEYWORDS.has(word.value)) depth++;
      if (word.value === 'for' || word.value === 'select') {
        // `for NAME in WORDS`: a header, not a command; the body follows `do`.
        if (word.value === 'select') depth++;
        skipRestOfCommand = true;
        words = [];
        continue;
      }
      if (word.value === 'case') {
        caseDepth++;
        caseHeader = true;
        skipRestOfCommand = true;
        continue;
      }
      if (LEADING_KEYWORDS.has(word.value)) continue;
      commandNested = depth > 0;
    }
    words.push(word);
  }
  flush('end');
  return { commands, hasComment, endsWithSeparator };
}

function commandFrom(words: ShellWord[], separator: CommandSeparator, nested: boolean): ShellCommand {
  const span = { start: words[0].span.start, end: words[words.length - 1].span.end };
  const found = commandOf(words.map((word) => word.value));
  if (!found) return { words, args: [], separator, nested, span };
  const programIndex = words.length - found.args.length - 1;
  return { words, program: found.name, args: words.slice(programIndex + 1), separator, nested, span };
}
