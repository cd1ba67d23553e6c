/**
 * The startup lens titles the editor was last given, per document, so that new timings ask the editor
 * for its lenses again (`workspace/codeLens/refresh`) only when a title would change.
 *
 * Why: each refresh replaces every lens of every editor, and the editor forgets the commands of the
 * lenses it replaced. A click that lands during a refresh then fails ("command not found"), and the
 * lenses flicker. Watches and re-reads change the timings often without changing what a lens says
 * (a new event for a pod already counted, the kubelets read for the waterfall).
 */
import type { TimingsParams } from './protocol';

function keyOf(params: TimingsParams): string {
  return JSON.stringify([params.kind, params.namespace ?? '', params.name]);
}

interface ShownDocument {
  /** Lenses were answered at all (the timings were on). */
  enabled: boolean;
  /** Title per workload; undefined for a lens answered before its namespace was read. */
  titles: Map<string, { params: TimingsParams; title: string | undefined }>;
}

export class ShownLenses {
  private readonly documents = new Map<string, ShownDocument>();

  /** The answer to `textDocument/codeLens` for a document: replaces what it showed before. */
  answered(uri: string, enabled: boolean, lenses: ReadonlyArray<{ params: TimingsParams; title: string | undefined }>): void {
    this.documents.set(uri, { enabled, titles: new Map(lenses.map((lens) => [keyOf(lens.params), lens])) });
  }

  /** The answer to `codeLens/resolve`: one lens got its title. */
  resolved(params: TimingsParams, title: string): void {
    const shown = this.documents.get(params.uri)?.titles.get(keyOf(params));
    if (shown) shown.title = title;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  /**
   * Whether any document would now show other lenses: the timings turned on or off, or a title
   * differs from `titlesNow` (undefined for a lens still waiting for its namespace, as when answered).
   */
  async changed(enabledNow: boolean, titlesNow: (params: readonly TimingsParams[]) => Promise<Array<string | undefined>>): Promise<boolean> {
    for (const shown of this.documents.values()) {
      if (shown.enabled !== enabledNow) return true;
      if (!enabledNow || shown.titles.size === 0) continue;
      const lenses = [...shown.titles.values()];
      const now = await titlesNow(lenses.map((lens) => lens.params));
      // A lens answered untitled is resolved by the editor itself: it asks again, with no refresh needed.
      if (lenses.some((lens, index) => lens.title !== undefined && lens.title !== now[index])) return true;
    }
    return false;
  }
}
