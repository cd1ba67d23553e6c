import assert from 'node:assert/strict';
import { parseDocument, type YAMLMap } from 'yaml';
import { getPair, keyText } from '../../core/yaml-nodes';

describe('core/yaml-nodes getPair', () => {
  const doc = parseDocument('name: web\n80: http\ntrue: yes\n~: nothing\n"443": https\n1.50: price\n? [a, b]\n: complex\nname: again\n', { uniqueKeys: false });
  const root = doc.contents as YAMLMap;

  it('finds a key by the text keyText gives it, whatever its type, and the first of duplicates', () => {
    assert.equal(getPair(root, 'name')?.value?.toString(), 'web');
    assert.equal(getPair(root, '80')?.value?.toString(), 'http');
    assert.equal(getPair(root, 'true')?.value?.toString(), 'yes');
    assert.equal(getPair(root, '443')?.value?.toString(), 'https');
    // A number key reads as JavaScript prints it, as keyText says.
    assert.equal(getPair(root, '1.5')?.value?.toString(), 'price');
    assert.equal(getPair(root, '1.50'), undefined);
  });

  it('matches no null key, no complex key and no missing key, and agrees with keyText on every pair', () => {
    for (const key of ['~', 'null', '', '[a, b]', 'a', 'missing']) assert.equal(getPair(root, key), undefined, key);
    for (const pair of root.items) {
      const text = keyText(pair);
      if (text !== undefined) assert.equal(getPair(root, text), root.items.find((item) => keyText(item) === text));
    }
    assert.equal(getPair(undefined, 'name'), undefined);
  });
});
