import assert from 'node:assert/strict';
import { Diagnostic, DiagnosticSeverity, PublishDiagnosticsNotification } from 'vscode-languageserver/node';
import { encodeMessage, placementOfFinding } from '../../server/diagnostic-encoding';

describe('publishDiagnostics encoding', () => {
  const finding = {};
  const at = (line: number) =>
    placementOfFinding(
      {
        ...Diagnostic.create({ start: { line, character: 27 }, end: { line, character: 33 } }, 'Container `api` pins its image to the version tag `:v2.14.3` – use IfNotPresent.', DiagnosticSeverity.Warning, 'pull-always-immutable-image', 'podstart'),
        codeDescription: { href: 'file:///ext/docs/rules/pull-always-immutable-image.md' },
        data: { ruleId: 'pull-always-immutable-image', fixes: [{ title: 'Set imagePullPolicy to IfNotPresent', safe: true }] },
      },
      finding,
    );

  it('encodes a publish as the same JSON as JSON.stringify, for moved and unmoved diagnostics alike', () => {
    const first = at(21);
    const plain = Diagnostic.create({ start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, 'Invalid YAML: "quotes" and \\ backslashes', DiagnosticSeverity.Error, 'invalid-yaml', 'podstart');
    for (const diagnostics of [[first, plain], [at(23), first], [], [at(23)]]) {
      for (const params of [{ uri: 'file:///repo/deploy/orders-api.yaml', version: 7, diagnostics }, { uri: 'untitled:Untitled-1', diagnostics }]) {
        const message = { jsonrpc: '2.0', method: PublishDiagnosticsNotification.method, params };
        assert.deepEqual(JSON.parse(encodeMessage(message).toString('utf-8')), JSON.parse(JSON.stringify(message)));
      }
    }
  });

  it('encodes other messages as they are', () => {
    const message = { jsonrpc: '2.0', id: 3, result: { contents: { kind: 'markdown', value: '**Podstart** – ümlauts' } } };
    assert.equal(encodeMessage(message).toString('utf-8'), JSON.stringify(message));
  });
});
