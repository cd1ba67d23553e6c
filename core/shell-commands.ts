/**
 * What a container runs, read from its `command` and `args`: the exec words, and for
 * `sh -c "<script>"` the script split into simple commands. This is not a shell parser; it is
 * enough to tell "the script only sleeps" or "the script runs apt-get install" apart, and a rule
 * that cannot read a script (a script file, an unusual construct) must say nothing rather than guess.
 */
import type { Document, YAMLMap, YAMLSeq } from 'yaml';
import type { ContainerRef } from './workload';
import { getSeq, stringItems } from './yaml-nodes';

export interface ContainerCommand {
  /** `command` then `args`, as the runtime joins them (the image's entrypoint is unknown here). */
  readonly words: readonly string[];
  /** The `-c` script of a shell, or the exec words joined by spaces. */
  script: string;
  /** The script came from `sh -c` (or bash, ash, busybox sh...). */
  viaShell: boolean;
  /** The sequence the script is written in (`command` or `args`): where findings point. */
  node: YAMLSeq;
  /** The script split into statements, once asked (commandStatements). */
  statements?: readonly ShellStatement[];
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/**
 * The container's command and args, or undefined when it sets neither (the image decides). Five
 * rules read each container's command and three split its script: both are kept on the workload's
 * container (its `command`, and the command's `statements`), which lives as long as one analysis
 * of its document. Not in a WeakMap keyed by the YAML node: every young-generation collection
 * walks a WeakMap's entries whose keys are young, and a document's nodes are (measured over the
 * corpus's YAML: scavenges took 4-5 ms less per pass without the WeakMaps, of the 70-90 ms that
 * analysis adds to parsing the same documents).
 */
export function containerCommand(doc: Document, container: ContainerRef): ContainerCommand | undefined {
  if (container.command === undefined) container.command = readContainerCommand(doc, container.node) ?? null;
  return container.command ?? undefined;
}

/** splitStatements(command.script), made once per command. */
export function commandStatements(command: ContainerCommand): readonly ShellStatement[] {
  return (command.statements ??= splitStatements(command.script));
}

/** The container's command and args read from its map, each time; rules ask containerCommand. */
export function readContainerCommand(doc: Document, container: YAMLMap): ContainerCommand | undefined {
  const commandSeq = getSeq(doc, container, 'command');
  const argsSeq = getSeq(doc, container, 'args');
  if (!commandSeq && !argsSeq) return undefined;
  const words = stringItems(doc, commandSeq);
  const commandWords = words.length;
  // A loop, not push(...): a spread of a list of 100,000 args would overflow the stack.
  if (argsSeq) for (const word of stringItems(doc, argsSeq)) words.push(word);
  // Where word `index` is written: `command`'s words come first, then `args`'.
  const seqOfWord = (index: number): YAMLSeq => (index < commandWords || !argsSeq ? commandSeq! : argsSeq);

  let first = 0;
  if (basename(words[0] ?? '') === 'busybox' && SHELLS.has(words[1] ?? '')) first = 1;
  if (SHELLS.has(basename(words[first] ?? ''))) {
    // `sh -c`, `sh -ec`, `bash -exc`: the word after the flag group is the script.
    for (let index = first + 1; index < words.length; index++) {
      const word = words[index];
      if (!word.startsWith('-')) break;
      if (/^-[a-z]*c[a-z]*$/.test(word) && index + 1 < words.length) {
        return { words, script: words[index + 1], viaShell: true, node: seqOfWord(index + 1), statements: undefined };
      }
    }
  }
  const node = commandSeq && commandWords > 0 ? commandSeq : argsSeq && words.length > commandWords ? argsSeq : (commandSeq ?? argsSeq)!;
  return { words, script: words.join(' '), viaShell: false, node, statements: undefined };
}

export type Separator = ';' | '&&' | '||' | '|' | '&' | 'end';

export interface ShellStatement {
  /** The simple command's source text, without the control keyword in front of it. */
  text: string;
  /** Its words with quotes removed; `$(...)` substitutions stay whole. Empty for a bare `done` or `fi`. */
  words: string[];
  /** `until`, `while`, `for`, `if`, `do`, `then`, `else`, `elif`: the keyword the statement followed. */
  keyword?: string;
  /** `while ! cmd`, `until ! cmd`, `if ! cmd`. */
  negated: boolean;
  /** What joins it to the next statement; '|' means its output feeds the next one. */
  separator: Separator;
}

const LEADING_KEYWORDS = new Set(['until', 'while', 'for', 'if', 'elif', 'then', 'do', 'else', '{', '!']);
const CLOSING_KEYWORDS = new Set(['done', 'fi', 'esac', '}']);

/** Splits a script into simple commands at `;`, newlines, `&&`, `||`, `|` and `&` outside quotes and `$(...)`. */
export function splitStatements(script: string): ShellStatement[] {
  const statements: ShellStatement[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let depth = 0;
  const flush = (separator: Separator) => {
    const statement = toStatement(current, separator);
    if (statement) statements.push(statement);
    current = '';
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    const next = script[i + 1];
    if (quote) {
      if (ch === '\\' && quote === '"' && next !== undefined) {
        current += ch + next;
        i++;
        continue;
      }
      if (ch === quote) quote = undefined;
      current += ch;
      continue;
    }
    if (ch === '\\' && next === '\n') {
      current += ' ';
      i++;
      continue;
    }
    if (ch === '\\' && next !== undefined) {
      current += ch + next;
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
      continue;
    }
    if (ch === '#' && (current === '' || /\s$/.test(current))) {
      // A comment runs to the end of the line.
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (depth > 0) {
      current += ch;
      continue;
    }
    const previous = script[i - 1];
    if (ch === '\n' || ch === ';') {
      flush(';');
    } else if (ch === '&' && next === '&') {
      flush('&&');
      i++;
    } else if (ch === '|' && next === '|') {
      flush('||');
      i++;
    } else if (ch === '|' && previous !== '>') {
      flush('|');
    } else if (ch === '&' && previous !== '>' && previous !== '<' && next !== '>') {
      flush('&');
    } else {
      current += ch;
    }
  }
  flush('end');
  return statements;
}

function toStatement(source: string, separator: Separator): ShellStatement | undefined {
  let rest = source.trim();
  if (!rest) return undefined;
  let keyword: string | undefined;
  let negated = false;
  for (;;) {
    const match = /^(\S+)(?:\s+|$)/.exec(rest);
    if (!match || !LEADING_KEYWORDS.has(match[1])) break;
    if (match[1] === '!') negated = true;
    else keyword = match[1];
    rest = rest.slice(match[0].length);
    // `for` keeps its header (`for i in $(seq 1 30)`): nothing after it is a command.
    if (keyword === 'for') break;
  }
  const words = splitWords(rest);
  if (words.length === 1 && CLOSING_KEYWORDS.has(words[0])) return { text: '', words: [], keyword: words[0], negated, separator };
  return { text: rest, words, keyword, negated, separator };
}

/** `/\s/.test(ch)` for one character, without running an expression per character of every script. */
function isSpace(ch: string): boolean {
  const code = ch.charCodeAt(0);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return /\s/.test(ch);
}

/** Words of one simple command, quotes removed, `$(...)` and `${...}` kept in one piece. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) {
        current += text[++i];
      } else if (ch === quote) {
        quote = undefined;
      } else {
        current += ch;
      }
      continue;
    }
    if ((ch === '"' || ch === "'") && depth === 0) {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === '(' || ch === '{') depth++;
    if ((ch === ')' || ch === '}') && depth > 0) depth--;
    if (depth === 0 && isSpace(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += ch;
    inWord = true;
  }
  if (inWord) words.push(current);
  return words;
}

/** The scripts inside `$(...)` and backticks of a text: the commands a condition or assignment runs. */
export function commandSubstitutions(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '(' && text[i + 2] !== '(') {
      let depth = 0;
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '(') depth++;
        if (text[j] === ')' && --depth === 0) {
          found.push(text.slice(i + 2, j));
          i = j;
          break;
        }
      }
    } else if (text[i] === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) break;
      found.push(text.slice(i + 1, end));
      i = end;
    }
  }
  return found;
}

export interface SimpleCommand {
  /** Basename of the program: `/usr/bin/curl` → `curl`. */
  name: string;
  args: string[];
}

/** Prefixes that run another program: `timeout 5 nc ...`, `env X=1 pip ...`, `busybox nc ...`. */
const WRAPPERS = new Set(['sudo', 'exec', 'env', 'nohup', 'command', 'busybox', 'time', 'xargs']);

/** The program a statement runs and its arguments, past variable assignments and wrappers like `timeout 30`. */
export function commandOf(words: readonly string[]): SimpleCommand | undefined {
  let index = 0;
  while (index < words.length) {
    const word = words[index];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      index++;
    } else if (WRAPPERS.has(basename(word))) {
      index++;
      while (index < words.length && words[index].startsWith('-')) index++;
    } else if (basename(word) === 'timeout') {
      index++;
      while (index < words.length && words[index].startsWith('-')) index++;
      index++; // the duration
    } else {
      break;
    }
  }
  if (index >= words.length) return undefined;
  return { name: basename(words[index]), args: words.slice(index + 1) };
}

/** True when the statement only assigns variables (`i=0`, `STATUS=$(curl ...)`), running no program of its own. */
export function isAssignmentOnly(words: readonly string[]): boolean {
  return words.length > 0 && words.every((word) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word));
}

/** A one-line excerpt of a command for messages. */
export function excerpt(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
