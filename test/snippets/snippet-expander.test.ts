/**
 * The snippet expander behind the snippet lint tests: if it expanded wrongly (left `${1:app}` in,
 * dropped a line), those tests would lint something users never get.
 */
import assert from 'node:assert/strict';
import { choiceCount, expandSnippet } from './snippet-expander';

const text = (body: string | string[], options?: Parameters<typeof expandSnippet>[1]) => expandSnippet(body, options).text;

describe('snippet expander', () => {
  it('keeps plain text, YAML flow collections and a lone closing brace', () => {
    assert.equal(text('image: nginx:1.27.0'), 'image: nginx:1.27.0');
    assert.equal(text('emptyDir: {}'), 'emptyDir: {}');
    assert.equal(text('command: ["cp", "/a", "/b"]'), 'command: ["cp", "/a", "/b"]');
    assert.equal(text('a}b'), 'a}b');
  });

  it('inserts nothing for tabstops without a value and for $0', () => {
    assert.equal(text('a$1b${2}c$0'), 'abc');
    assert.deepEqual(expandSnippet('a$1b${2}c$0').tabstops, [0, 1, 2]);
  });

  it('inserts placeholder defaults and mirrors them to every tabstop of the index, wherever the default is', () => {
    assert.equal(text('name: ${1:app}'), 'name: app');
    assert.equal(text('${1:app}/$1/${1}'), 'app/app/app');
    assert.equal(text('$1 then ${1:x}'), 'x then x');
    // The first placeholder with a value defines it for the index.
    assert.equal(text('${1:first} ${1:second}'), 'first first');
    assert.equal(text('${1} ${1:later}'), 'later later');
    assert.equal(text('port: ${12:8080}, again ${12}'), 'port: 8080, again 8080');
  });

  it('expands nested placeholders', () => {
    assert.equal(text('${1:registry.example.com/${2:app}}:${3:1.0.0} $2'), 'registry.example.com/app:1.0.0 app');
    assert.equal(text('${1:a ${2:b ${3:c}}}'), 'a b c');
    // A placeholder that mirrors its own index inside itself has nothing to mirror there.
    assert.equal(text('${1:a $1}'), 'a ');
  });

  it('takes the first option of a choice, or the one asked for (clamped to the last)', () => {
    assert.equal(text('restartPolicy: ${1|OnFailure,Never|}'), 'restartPolicy: OnFailure');
    assert.equal(text('restartPolicy: ${1|OnFailure,Never|}', { choice: 1 }), 'restartPolicy: Never');
    assert.equal(text('${1|a,b|} ${2|x,y,z|}', { choice: 2 }), 'b z');
    assert.equal(text('${1|one|} $1'), 'one one');
    assert.equal(choiceCount(['${1|a,b|}', '${2|x,y,z|}']), 3);
    assert.equal(choiceCount('${1:a}'), 1);
  });

  it('unescapes \\$, \\} and \\\\ in text, and \\, \\| \\\\ in choices; other backslashes stay', () => {
    assert.equal(text('\\$1 costs \\$5'), '$1 costs $5');
    assert.equal(text('${1:a\\}b}'), 'a}b');
    assert.equal(text('back\\\\slash'), 'back\\slash');
    assert.equal(text('line\\n'), 'line\\n');
    assert.equal(text('${1|a\\,b,c\\|d|}'), 'a,b');
    assert.equal(text('${1|a\\,b,c\\|d|}', { choice: 1 }), 'c|d');
    assert.equal(text('${1|\\$x|}'), '\\$x');
  });

  it('keeps a dollar that starts no construct as text', () => {
    assert.equal(text('cost: $ 5'), 'cost: $ 5');
    assert.equal(text('${'), '${');
    assert.equal(text('${}'), '${}');
    assert.equal(text('${1:unclosed'), '${1:unclosed');
    assert.equal(text('${1|a,b}'), '${1|a,b}');
    assert.equal(text('${1|a,,b|}'), '${1|a,,b|}');
    assert.equal(text('${x|a|}'), '${x|a|}');
    assert.equal(text('$-1'), '$-1');
  });

  it('resolves variables: the value, else the default; an unknown one inserts its name and is reported', () => {
    const variables = { TM_FILENAME_BASE: 'storefront', TM_SELECTED_TEXT: '' };
    assert.equal(text('name: $TM_FILENAME_BASE', { variables }), 'name: storefront');
    assert.equal(text('name: ${TM_FILENAME_BASE}', { variables }), 'name: storefront');
    assert.equal(text('name: ${TM_FILENAME_BASE:app}', { variables }), 'name: storefront');
    assert.equal(text('${TM_SELECTED_TEXT:none}', { variables }), 'none');
    assert.equal(text('[$TM_SELECTED_TEXT]', { variables }), '[]');
    assert.equal(text('name: ${1:${TM_FILENAME_BASE:app}}', { variables }), 'name: storefront');

    const unknown = expandSnippet('echo $HOME ${TM_FILENAME_BASE:app}');
    assert.equal(unknown.text, 'echo HOME app');
    assert.deepEqual(unknown.unknownVariables.sort(), ['HOME', 'TM_FILENAME_BASE']);
    assert.deepEqual(expandSnippet('echo \\$HOME').unknownVariables, []);
  });

  it('refuses transforms rather than expanding them wrongly', () => {
    assert.throws(() => expandSnippet('${1/(.*)/${1:/upcase}/}'), /transforms are not supported/);
    assert.throws(() => expandSnippet('${TM_FILENAME/(.*)/$1/}'), /transforms are not supported/);
  });

  it('joins body lines and indents every line after the first like the line it is typed on', () => {
    const lines = ['startupProbe:', '  httpGet:', '    port: ${1:8080}', '  periodSeconds: ${2:2}'];
    assert.equal(text(lines, { indent: '    ' }), 'startupProbe:\n      httpGet:\n        port: 8080\n      periodSeconds: 2');
    assert.equal(text(['a: ${1:x\ny}', 'b: $1'], { indent: '  ' }), 'a: x\n  y\n  b: x\n  y');
  });
});
