import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectTemplate, hasUnquotedMark } from '../../core/templates';

/** The expressions the helpers stand for, run over the whole text as they were before issue 8. */
const UNQUOTED_MARK = /^[^#'"\n]*:[ \t]+\{[{%]|^[ \t]*(-[ \t]+)?\{[{%]/m;
const HELM_OBJECT = /\{\{[^}\n]*\$?\.(Values|Release|Chart|Capabilities|Files)\b/;

/** Lines where a mark is unquoted, quoted, commented, or cut by a line break of another kind. */
const LINES = [
  'token: {{TOKEN}}',
  'token: "{{TOKEN}}"',
  "token: '{{ x }}' # and: {{ y }}",
  '- {{ item }}',
  '  -   {% if x %}',
  '{{- include "x" . }}',
  'a: b: {{c}}',
  '# note: {{ x }}',
  'description: use {{ .Values.image }} here',
  'x: "a" y: {{z}}',
  'key:{{nospace}}',
  'name: {{{triple}}}',
  'a: {x} and {%y',
  'a:\t{%raw%}',
  'one\rtwo: {{x}}',
  'one: "\rtwo: {{x}}',
  'one "\u2028 {{x}}',
  'name: {{ .Release.Name }}',
  'value: {{$.Chart.Name}}',
  'value: {{ .ValuesX }}',
  'a: {{ }} b: {{ .Files.Get "x" }}',
  'plain text',
  '',
];

describe('template marks', () => {
  it('judge every combination of lines as the whole-text expressions do', () => {
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const texts = LINES.flatMap((a) => LINES.map((b) => `${a}\n${b}`));
    for (let t = 0; t < 2000; t++) texts.push(Array.from({ length: 1 + random(5) }, () => LINES[random(LINES.length)]).join(random(3) ? '\n' : '\r\n'));
    let unquoted = 0;
    let helm = 0;
    for (const text of texts) {
      assert.equal(hasUnquotedMark(text), UNQUOTED_MARK.test(text), JSON.stringify(text));
      assert.equal(detectTemplate(text) !== undefined, HELM_OBJECT.test(text), JSON.stringify(text));
      if (UNQUOTED_MARK.test(text)) unquoted++;
      if (HELM_OBJECT.test(text)) helm++;
    }
    // Both verdicts occur, so the comparison above is not between two constant answers.
    assert.ok(unquoted > 0 && unquoted < texts.length && helm > 0 && helm < texts.length);
  });

  it('finds Helm objects as the whole-text expression does, on random runs of braces, line breaks and keywords', () => {
    const piece = fc.constantFrom('{', '{{', '}', '}}', '\n', '\r\n', ' ', '.', '$', '.Values', 'Values', '.Release.Name', '.ChartX', '.Files', 'x', '"');
    let helm = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        const expected = HELM_OBJECT.test(text);
        assert.equal(detectTemplate(text) !== undefined, expected, JSON.stringify(text));
        if (expected) helm++;
      }),
      { numRuns: 20000, seed: 3 },
    );
    assert.ok(helm > 1000, `${helm} texts with a Helm object`);
  });
});
