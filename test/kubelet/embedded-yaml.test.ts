import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from 'yaml';
import { applyEdits } from '../../core/apply-edits';
import { parseEmbeddedYaml } from '../../core/kubelet/embedded-yaml';

/** The first string of the document's `patches` list, parsed as embedded YAML. */
function embeddedIn(fileText: string) {
  const doc = parseDocument(fileText);
  const root = doc.contents;
  assert.ok(isMap(root));
  const list = root.get('patches', true);
  assert.ok(isSeq(list));
  const scalar = list.items[0];
  assert.ok(isScalar(scalar));
  const embedded = parseEmbeddedYaml(fileText, 0, scalar as Scalar);
  assert.ok(embedded);
  return embedded;
}

describe('YAML embedded in a literal block', () => {
  it('maps every offset of the value back to the same text in the file', () => {
    const file = 'patches:\n  - |\n    kind: KubeletConfiguration\n\n    serializeImagePulls: true # comment\n  - other\n';
    const embedded = embeddedIn(file);
    for (const word of ['kind', 'KubeletConfiguration', 'serializeImagePulls', 'true', '# comment']) {
      const at = embedded.text.indexOf(word);
      assert.equal(file.slice(embedded.toFile(at), embedded.toFile(at + word.length)), word, word);
    }
  });

  it('maps offsets in a CRLF file', () => {
    const file = 'patches:\r\n- |-\r\n  a: 1\r\n  b: two\r\n';
    const embedded = embeddedIn(file);
    const at = embedded.text.indexOf('two');
    assert.equal(file.slice(embedded.toFile(at), embedded.toFile(at + 3)), 'two');
  });

  it('re-indents an inserted line, after the last line of the block as well as between lines', () => {
    const file = 'patches:\n  - |\n    a: 1\n    b: 2\n  - next\n';
    const embedded = embeddedIn(file);
    const afterA = embedded.text.indexOf('b: 2');
    const atEnd = embedded.text.length;
    const edits = [
      embedded.toFileEdit({ start: afterA, end: afterA, newText: 'x: 1\n' }),
      embedded.toFileEdit({ start: atEnd, end: atEnd, newText: 'y:\n  z: 3\n' }),
    ];
    assert.ok(edits.every(Boolean));
    assert.equal(applyEdits(file, edits as never), 'patches:\n  - |\n    a: 1\n    x: 1\n    b: 2\n    y:\n      z: 3\n  - next\n');
  });

  it('replaces a value in place', () => {
    const file = 'patches:\n- |\n  serializeImagePulls: true\n';
    const embedded = embeddedIn(file);
    const at = embedded.text.indexOf('true');
    const edit = embedded.toFileEdit({ start: at, end: at + 4, newText: 'false' });
    assert.equal(applyEdits(file, [edit!]), 'patches:\n- |\n  serializeImagePulls: false\n');
  });

  it('gives up on exact positions for a quoted string: the whole scalar, and no edits', () => {
    const file = 'patches:\n- "kind: KubeletConfiguration\\nserializeImagePulls: true"\n';
    const embedded = embeddedIn(file);
    assert.equal(embedded.doc.errors.length, 0);
    assert.equal(embedded.toFile(embedded.text.indexOf('true')), file.indexOf('"kind'));
    assert.equal(embedded.toFileEdit({ start: 0, end: 0, newText: 'x: 1\n' }), undefined);
  });

  it('reports the embedded document\'s own YAML errors', () => {
    const file = 'patches:\n- |\n  a: [1, 2\n';
    assert.ok(embeddedIn(file).doc.errors.length > 0);
  });
});
