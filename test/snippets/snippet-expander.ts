/**
 * Expands a VS Code snippet body the way VS Code inserts it when the user accepts every default,
 * so that tests can lint what a user actually gets. The grammar is VS Code's (the TextMate snippet
 * syntax, https://code.visualstudio.com/docs/editing/userdefinedsnippets#_snippet-syntax):
 *
 *   any         ::= tabstop | placeholder | choice | variable | text
 *   tabstop     ::= '$' int | '${' int '}'
 *   placeholder ::= '${' int ':' any* '}'
 *   choice      ::= '${' int '|' text (',' text)* '|}'
 *   variable    ::= '$' var | '${' var '}' | '${' var ':' any* '}'
 *
 * and VS Code's parser's ways (vs/editor/contrib/snippet/browser/snippetParser.ts):
 * - in text, `\` escapes only `$`, `}` and `\`; in a choice, only `,`, `|` and `\`; any other
 *   backslash is kept;
 * - a `$` that starts no valid construct (`${`, `${1:unclosed`, `$ `) is literal text;
 * - the first placeholder of an index that has a value gives that value to every tabstop of the
 *   index (`${1:app}` … `$1` inserts `app` twice); a choice's value is its first option;
 * - `$0` and tabstops without a value insert nothing;
 * - a variable inserts its value, or its default when it has none; an unknown variable inserts its
 *   own name (which is why `$HOME` in a shell line must be written `\$HOME`); with a default, the
 *   default. Either way it is listed in `unknownVariables`.
 * Transforms (`${1/regex/format/}`) are not supported: they throw rather than expand wrongly.
 */

export type SnippetNode =
  | { type: 'text'; value: string }
  /** `$1`, `${1}`, `${1:default}` (children) or `${1|a,b|}` (choices). */
  | { type: 'tabstop'; index: number; children?: SnippetNode[]; choices?: string[] }
  | { type: 'variable'; name: string; children?: SnippetNode[] };

export interface ExpandOptions {
  /** Values of the variables the editor knows (TM_FILENAME_BASE...); any other name is unknown. */
  variables?: Readonly<Record<string, string>>;
  /** Which option every choice takes: 0 (the default, as VS Code inserts it), or a later one (clamped to the last). */
  choice?: number;
  /**
   * The indentation of the line the snippet is typed on: VS Code adds it to every line after the
   * first (the first line is already there).
   */
  indent?: string;
}

export interface Expansion {
  text: string;
  /** Variables the body uses that `variables` does not define, each once. */
  unknownVariables: string[];
  /** The tabstop indexes the body uses, sorted. */
  tabstops: number[];
}

const INT = /^[0-9]+/;
const VARIABLE_NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

class SnippetParser {
  private pos = 0;

  constructor(private readonly source: string) {}

  parse(): SnippetNode[] {
    return this.sequence(false)!;
  }

  /** Nodes up to the end, or (nested) up to an unescaped `}` left for the caller; undefined when a nested sequence is not closed. */
  private sequence(nested: boolean): SnippetNode[] | undefined {
    const nodes: SnippetNode[] = [];
    const text = (value: string) => {
      const last = nodes[nodes.length - 1];
      if (last?.type === 'text') last.value += value;
      else nodes.push({ type: 'text', value });
    };
    while (this.pos < this.source.length) {
      const char = this.source[this.pos];
      if (nested && char === '}') return nodes;
      if (char === '$') {
        const node = this.dollar();
        if (node) nodes.push(node);
        else {
          text('$');
          this.pos++;
        }
        continue;
      }
      if (char === '\\' && '$}\\'.includes(this.source[this.pos + 1] ?? '')) {
        text(this.source[this.pos + 1]);
        this.pos += 2;
        continue;
      }
      text(char);
      this.pos++;
    }
    return nested ? undefined : nodes;
  }

  /** The construct starting at a `$`, or undefined (position unchanged) when the `$` is literal. */
  private dollar(): SnippetNode | undefined {
    const start = this.pos;
    this.pos++;
    const simple = this.match(INT) ?? this.match(VARIABLE_NAME);
    if (simple !== undefined) return INT.test(simple) ? { type: 'tabstop', index: Number(simple) } : { type: 'variable', name: simple };
    if (this.source[this.pos] !== '{') return this.backTo(start);
    this.pos++;
    const index = this.match(INT);
    const name = index === undefined ? this.match(VARIABLE_NAME) : undefined;
    if (index === undefined && name === undefined) return this.backTo(start);
    const next = this.source[this.pos];
    if (next === '/') throw new Error(`snippet transforms are not supported: ${this.source.slice(start, start + 40)}`);
    if (next === '}') {
      this.pos++;
      return index !== undefined ? { type: 'tabstop', index: Number(index) } : { type: 'variable', name: name! };
    }
    if (next === ':') {
      this.pos++;
      const children = this.sequence(true);
      if (!children) return this.backTo(start);
      this.pos++; // the closing `}`
      return index !== undefined ? { type: 'tabstop', index: Number(index), children } : { type: 'variable', name: name!, children };
    }
    if (next === '|' && index !== undefined) {
      this.pos++;
      const choices = this.choices();
      return choices ? { type: 'tabstop', index: Number(index), choices } : this.backTo(start);
    }
    return this.backTo(start);
  }

  /** `a,b|}` after `${1|`: the options, or undefined when they are empty or not closed by `|}`. */
  private choices(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.source.length) {
      const char = this.source[this.pos];
      if (char === '\\' && ',|\\'.includes(this.source[this.pos + 1] ?? '')) {
        current += this.source[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (char === ',' || char === '|') {
        if (current === '') return undefined;
        options.push(current);
        current = '';
        this.pos++;
        if (char === '|') {
          if (this.source[this.pos] !== '}') return undefined;
          this.pos++;
          return options;
        }
        continue;
      }
      current += char;
      this.pos++;
    }
    return undefined;
  }

  private match(pattern: RegExp): string | undefined {
    const found = pattern.exec(this.source.slice(this.pos));
    if (!found) return undefined;
    this.pos += found[0].length;
    return found[0];
  }

  private backTo(position: number): undefined {
    this.pos = position;
    return undefined;
  }
}

export function parseSnippet(body: string): SnippetNode[] {
  return new SnippetParser(body).parse();
}

/** Every node, parents before children, in the order of the text. */
function* walk(nodes: readonly SnippetNode[]): Generator<SnippetNode> {
  for (const node of nodes) {
    yield node;
    if (node.type !== 'text' && node.children) yield* walk(node.children);
  }
}

/** The body as inserted with every default accepted. `body` is a snippet file's `body`: a string or its lines. */
export function expandSnippet(body: string | readonly string[], options: ExpandOptions = {}): Expansion {
  const nodes = parseSnippet(typeof body === 'string' ? body : body.join('\n'));
  const variables = options.variables ?? {};
  const choice = options.choice ?? 0;
  const unknownVariables = new Set<string>();
  const tabstops = new Set<number>();
  // The first placeholder (or choice) of each index with a value defines the value for the index.
  const valueOf = new Map<number, SnippetNode & { type: 'tabstop' }>();
  for (const node of walk(nodes)) {
    if (node.type !== 'tabstop') continue;
    tabstops.add(node.index);
    const hasValue = (node.children?.length ?? 0) > 0 || node.choices !== undefined;
    if (hasValue && !valueOf.has(node.index)) valueOf.set(node.index, node);
  }
  const resolving = new Set<number>();
  const render = (list: readonly SnippetNode[]): string =>
    list
      .map((node) => {
        if (node.type === 'text') return node.value;
        if (node.type === 'variable') {
          const value = variables[node.name];
          if (value === undefined) unknownVariables.add(node.name);
          if (value) return value;
          if (node.children) return render(node.children);
          return value === undefined ? node.name : '';
        }
        const source = valueOf.get(node.index);
        // A placeholder that contains its own index (`${1:a $1}`) has no value to mirror inside itself.
        if (!source || resolving.has(node.index)) return '';
        if (source.choices) return source.choices[Math.min(choice, source.choices.length - 1)];
        resolving.add(node.index);
        const text = render(source.children!);
        resolving.delete(node.index);
        return text;
      })
      .join('');
  const lines = render(nodes).split('\n');
  const text = lines.map((line, i) => (i === 0 ? line : (options.indent ?? '') + line)).join('\n');
  return { text, unknownVariables: [...unknownVariables], tabstops: [...tabstops].sort((a, b) => a - b) };
}

/** The most options any choice of the body offers (1 when it has no choice): how many `choice` values give different texts. */
export function choiceCount(body: string | readonly string[]): number {
  const nodes = parseSnippet(typeof body === 'string' ? body : body.join('\n'));
  let most = 1;
  for (const node of walk(nodes)) if (node.type === 'tabstop' && node.choices) most = Math.max(most, node.choices.length);
  return most;
}
