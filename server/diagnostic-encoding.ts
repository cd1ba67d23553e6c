/**
 * Encoding publishDiagnostics fast. Each edit re-publishes every diagnostic of the file; on a
 * 75,000-line manifest with 3,500 findings that is 2.4 MB of JSON, and encoding it took longer
 * than analysing the edit. Two facts make it cheap:
 * - a Diagnostic object is never mutated once created, and the analysis reuses the objects of the
 *   YAML documents an edit did not touch, so each object's UTF-8 JSON is computed once;
 * - the documents below an inserted line get new objects that differ from the old ones only in
 *   their range, so everything after the range is shared between all placements of a finding.
 */
import { Message, PublishDiagnosticsNotification, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver/node';

const bytesByDiagnostic = new WeakMap<Diagnostic, Buffer>();
/** Diagnostic → the object it is a placement of (the finding of a YAML document). */
const placementOf = new WeakMap<Diagnostic, object>();
/** Finding → the JSON of its diagnostics after the range: `"message":…}`. */
const tailByFinding = new WeakMap<object, Buffer>();
const COMMA = Buffer.from(',');
const END = Buffer.from(']}}');

/** Declares that `diagnostic` is `finding` placed at some line: all its placements differ only in their range. */
export function placementOfFinding(diagnostic: Diagnostic, finding: object): Diagnostic {
  placementOf.set(diagnostic, finding);
  return diagnostic;
}

function bytesOf(diagnostic: Diagnostic): Buffer {
  let bytes = bytesByDiagnostic.get(diagnostic);
  if (bytes !== undefined) return bytes;
  const finding = placementOf.get(diagnostic);
  if (finding) {
    let tail = tailByFinding.get(finding);
    if (!tail) {
      const { range: _range, ...rest } = diagnostic;
      tail = Buffer.from(JSON.stringify(rest).slice(1), 'utf-8');
      tailByFinding.set(finding, tail);
    }
    bytes = Buffer.concat([Buffer.from(`{"range":${JSON.stringify(diagnostic.range)},`, 'utf-8'), tail]);
  } else {
    bytes = Buffer.from(JSON.stringify(diagnostic), 'utf-8');
  }
  bytesByDiagnostic.set(diagnostic, bytes);
  return bytes;
}

/** The UTF-8 JSON of a message; equal, as JSON, to JSON.stringify(message). */
export function encodeMessage(message: Message): Buffer {
  if (!Message.isNotification(message) || message.method !== PublishDiagnosticsNotification.method) return Buffer.from(JSON.stringify(message), 'utf-8');
  const params = message.params as PublishDiagnosticsParams | undefined;
  if (!params || !Array.isArray(params.diagnostics)) return Buffer.from(JSON.stringify(message), 'utf-8');
  const { diagnostics, ...rest } = params;
  const head = JSON.stringify(rest);
  const parts: Buffer[] = [
    Buffer.from(`{"jsonrpc":${JSON.stringify(message.jsonrpc)},"method":${JSON.stringify(message.method)},"params":${head.slice(0, -1)}${head === '{}' ? '' : ','}"diagnostics":[`, 'utf-8'),
  ];
  diagnostics.forEach((diagnostic, index) => {
    if (index > 0) parts.push(COMMA);
    parts.push(bytesOf(diagnostic));
  });
  parts.push(END);
  return Buffer.concat(parts);
}
