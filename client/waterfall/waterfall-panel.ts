/**
 * The startup waterfall's editor panel: one per workload (clicking its lens again brings it back and
 * reads the figures again), filled from `podstart/timings`. The page is rendered here from the
 * server's data (waterfall-model.ts, waterfall-html.ts) with a fresh nonce each time, loads nothing
 * (no local or remote resource roots), and its one script can only ask for a refresh.
 */
import { randomBytes } from 'node:crypto';
import { ViewColumn, window, type Disposable, type LogOutputChannel, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { REFRESH_TIMINGS_REQUEST, TIMINGS_REQUEST, type TimingsParams, type TimingsResult } from '../../server/protocol';
import { renderLoadingPage, renderWaterfallPage } from './waterfall-html';
import { waterfallModel } from './waterfall-model';
import { WATERFALL_STYLE } from './waterfall-style';

export const WATERFALL_VIEW_TYPE = 'podstart.startupWaterfall';

function keyOf(params: TimingsParams): string {
  return `${params.kind}/${params.namespace ?? ''}/${params.name}`;
}

function nonce(): string {
  return randomBytes(18).toString('base64');
}

export class WaterfallPanels implements Disposable {
  private readonly panels = new Map<string, { panel: WebviewPanel; params: TimingsParams; generation: number }>();

  constructor(
    private readonly client: LanguageClient,
    private readonly output: LogOutputChannel,
  ) {}

  /** Opens (or brings back) the workload's waterfall and reads its figures. */
  async show(params: TimingsParams): Promise<void> {
    const key = keyOf(params);
    let entry = this.panels.get(key);
    if (entry) {
      entry.params = params;
      entry.panel.reveal(undefined, false);
    } else {
      const panel = window.createWebviewPanel(WATERFALL_VIEW_TYPE, `Startup: ${params.name}`, { viewColumn: ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [], enableFindWidget: true });
      entry = { panel, params, generation: 0 };
      this.panels.set(key, entry);
      panel.onDidDispose(() => this.panels.delete(key));
      panel.webview.onDidReceiveMessage((message: { type?: unknown }) => {
        if (message?.type === 'refresh') void this.refresh(key, true);
      });
    }
    await this.refresh(key, false);
  }

  /** Reads the cluster again, then redraws every open waterfall. */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.panels.keys()].map((key) => this.refresh(key, false)));
  }

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }

  private async refresh(key: string, readAgain: boolean): Promise<void> {
    const entry = this.panels.get(key);
    if (!entry) return;
    const generation = ++entry.generation;
    const workload = `${entry.params.kind} ${entry.params.namespace ? `${entry.params.namespace}/` : ''}${entry.params.name}`;
    const title = `Startup: ${workload}`;
    if (!readAgain) entry.panel.webview.html = renderLoadingPage(workload, { nonce: nonce(), title }, WATERFALL_STYLE);
    try {
      if (readAgain) await this.client.sendRequest(REFRESH_TIMINGS_REQUEST);
      const result = await this.client.sendRequest<TimingsResult | undefined>(TIMINGS_REQUEST, entry.params);
      // A newer refresh started meanwhile, or the panel closed: its answer wins.
      if (generation !== entry.generation || !this.panels.has(key)) return;
      if (!result) throw new Error('the language server returned no timings (see its log above)');
      entry.panel.title = `Startup: ${result.workload.name}`;
      entry.panel.webview.html = renderWaterfallPage(waterfallModel(result), { nonce: nonce(), title }, WATERFALL_STYLE);
    } catch (error) {
      this.output.error(`Startup waterfall of ${workload}: ${(error as Error)?.message ?? error}`);
      if (generation === entry.generation && this.panels.has(key)) {
        entry.panel.webview.html = renderLoadingPage(workload, { nonce: nonce(), title }, WATERFALL_STYLE).replace('Reading the cluster…', 'The timings could not be read: see the Podstart output.');
      }
    }
  }
}
