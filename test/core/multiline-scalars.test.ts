import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { enclosingScalarEnd } from '../../core/multiline-scalars';
import { hasParsedPlaceholder, hasUnquotedMark } from '../../core/templates';

/** What goes on a line inside a scalar: template marks, quotes, escapes, text that looks like YAML. */
const CONTENT = ['{{ x }}', 'key: {{ y }}', '- {{ z }}', '{%- if a %}', 'plain words', 'k: v', '- item', '# not a comment', 'a: |', 'b: "c'];
const DOUBLE_CONTENT = ['{{ x }}', 'key: {{ y }}', '- {{ z }}', String.raw`esc \" quote`, String.raw`back \\`, 'it\'s', 'a: |', "b: 'c"];
const SINGLE_CONTENT = ['{{ x }}', 'key: {{ y }}', '- {{ z }}', "it''s", 'say "hi"', String.raw`back \ slash`, 'a: |'];
const BLOCK_HEADERS = ['|', '>', '|-', '>+', '!!str |', '&anchor >-', '| # note'];

type Gen = { pick<T>(items: readonly T[]): T; int(max: number): number };

const pad = (indent: number) => ' '.repeat(indent);

/** A valid YAML mapping at `indent`, with block scalars, multi-line quoted scalars, placeholders as flow mappings, nesting and sequences. */
function mapping(gen: Gen, indent: number, depth: number): string[] {
  const lines: string[] = [];
  const entries = 1 + gen.int(4);
  for (let entry = 0; entry < entries; entry++) {
    const key = `${pad(indent)}k${entry}:`;
    lines.push(...value(gen, key, indent, depth));
  }
  return lines;
}

function value(gen: Gen, lead: string, indent: number, depth: number): string[] {
  const inner = indent + 2 + gen.int(2) * 2;
  switch (gen.int(depth > 2 ? 5 : 7)) {
    case 0: {
      const content = Array.from({ length: 1 + gen.int(4) }, (_, n) => (gen.int(5) === 0 && n > 0 ? '' : pad(inner + (n > 0 ? gen.int(2) * 2 : 0)) + gen.pick(CONTENT)));
      return [`${lead} ${gen.pick(BLOCK_HEADERS)}`, ...content];
    }
    case 1: {
      const middle = Array.from({ length: 1 + gen.int(3) }, () => pad(inner) + gen.pick(DOUBLE_CONTENT));
      return [`${lead} "open ${gen.pick(DOUBLE_CONTENT)}`, ...middle, `${pad(inner)}close"`];
    }
    case 2: {
      const middle = Array.from({ length: 1 + gen.int(3) }, () => pad(inner) + gen.pick(SINGLE_CONTENT));
      return [`${lead} '${gen.pick(SINGLE_CONTENT)}`, ...middle, `${pad(inner)}close'`];
    }
    case 3:
      return [`${lead} {{ placeholder }}`];
    case 4:
      return [`${lead} "one line {{ x }}"`];
    case 5:
      return [lead, ...mapping(gen, indent + 2, depth + 1)];
    default: {
      const items: string[] = [lead];
      for (let n = 1 + gen.int(3); n > 0; n--) items.push(...value(gen, `${pad(indent + 2)}-`, indent + 2, depth + 1));
      return items;
    }
  }
}

function generator(seed: number): Gen {
  let state = seed || 1;
  const int = (max: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % max;
  };
  return { int, pick: (items) => items[int(items.length)] };
}

/** The ranges of the scalars `yaml` found (a line inside a multi-line plain scalar is text too, not structure). */
function scalarRanges(text: string): Array<[number, number]> | undefined {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) return undefined;
  const ranges: Array<[number, number]> = [];
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (isScalar(node) && node.range) ranges.push([node.range[0], node.range[1]]);
    },
  });
  return ranges;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** Every line `enclosingScalarEnd` calls inside a scalar, up to the end it gives, is inside one of `yaml`'s scalars. */
function assertClaimsHold(text: string, ranges: Array<[number, number]>): number {
  let claims = 0;
  for (const lineStart of lineStarts(text)) {
    const end = enclosingScalarEnd(text, lineStart);
    if (end === undefined) continue;
    claims++;
    assert.ok(end > lineStart, `end ${end} before the line at ${lineStart}\n${text}`);
    for (const start of lineStarts(text).filter((at) => at >= lineStart && at < end)) {
      const lineEnd = text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start);
      const first = text.slice(start, lineEnd).search(/\S/);
      // A `#` line is never asked about (it cannot hold a placeholder) and may be a comment after a plain scalar.
      if (first === -1 || text[start + first] === '#') continue;
      const at = start + first;
      assert.ok(
        ranges.some(([from, to]) => at > from && at < to),
        `line ${JSON.stringify(text.slice(start, lineEnd))} was called inside a scalar, yaml disagrees:\n${text}`,
      );
    }
  }
  return claims;
}

describe('multi-line scalars read from the text', () => {
  it('says a line is inside a scalar only where yaml parses one, on random valid documents', () => {
    let claims = 0;
    let documents = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = mapping(generator(seed), 0, 0).join(seed % 3 === 0 ? '\r\n' : '\n') + '\n';
      const ranges = scalarRanges(text);
      if (!ranges) continue;
      documents++;
      claims += assertClaimsHold(text, ranges);
    }
    // Most generated documents are valid, and many lines are claimed: the assertions ran on something.
    assert.ok(documents > 2500, `${documents} valid documents`);
    assert.ok(claims > 3000, `${claims} claims`);
  });

  it('never claims a line on random line soup that yaml parses', () => {
    const line = fc.tuple(fc.constantFrom(0, 1, 2, 4, 6), fc.constantFrom(...CONTENT, ...DOUBLE_CONTENT, ...SINGLE_CONTENT, 'close"', "close'", 'k: |', '- >', 'x: "a', "y: 'b", '- "c', '', 'end: done'));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), (lines) => {
        const text = lines.map(([indent, content]) => pad(indent) + content).join('\n');
        const ranges = scalarRanges(text);
        if (ranges) assertClaimsHold(text, ranges);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('lets the template check skip marks inside scalars without changing its verdict on valid documents', () => {
    let skipped = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const text = mapping(generator(seed), 0, 0).join('\n') + '\n';
      const doc = parseDocument(text, { prettyErrors: false });
      if (doc.errors.length > 0) continue;
      const placeholder = hasParsedPlaceholder(doc, text);
      // Before: a text with an unquoted-looking mark was parsed and the placeholder decided.
      const before = hasUnquotedMark(text) && placeholder;
      const after = hasUnquotedMark(text, true) && placeholder;
      assert.equal(after, before, text);
      if (hasUnquotedMark(text) && !hasUnquotedMark(text, true)) skipped++;
    }
    assert.ok(skipped > 100, `${skipped} documents needed no parse`);
  });

  it('reads block scalars, quoted scalars and where they end', () => {
    const text = ['data:', '  a: |', '    {{ x }}', '      deeper {{ y }}', '', '    last', '  b: {{ z }}', '  c: "one', '    {{ w }} \\" still', '    done"', ''].join('\n');
    const at = (line: number) => lineStarts(text)[line];
    assert.equal(enclosingScalarEnd(text, at(2)), at(6), 'the block scalar ends before `b:`');
    assert.equal(enclosingScalarEnd(text, at(3)), at(6));
    assert.equal(enclosingScalarEnd(text, at(6)), undefined, '`b: {{ z }}` is a placeholder');
    assert.equal(enclosingScalarEnd(text, at(8)), at(9), 'inside the quoted scalar, up to its closing line');
    assert.equal(enclosingScalarEnd(text, at(0)), undefined);
  });

  it('does not claim lines that end a block scalar by their indentation, or an explicit indentation indicator', () => {
    const dedented = ['a: |', '    x', '  y', '    {{ z }}'].join('\n');
    assert.equal(enclosingScalarEnd(dedented, dedented.indexOf('    {{')), undefined);
    const explicit = ['a: |2', '    {{ z }}'].join('\n');
    assert.equal(enclosingScalarEnd(explicit, explicit.indexOf('    {{')), undefined);
    const closed = ['a: "x"', '  {{ z }}'].join('\n');
    assert.equal(enclosingScalarEnd(closed, closed.indexOf('  {{')), undefined);
  });
});
