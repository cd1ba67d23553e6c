/**
 * The startup waterfall's editor panel: one per workload (clicking its lens again brings it back and
 * reads the figures again), filled from `podstart/timings`. The page is rendered here from the
 * server's data (waterfall-model.ts, waterfall-html.ts) with a fresh nonce each time, loads nothing
 * (no local or remote resource roots), and its one script can only ask for a refresh (and keeps its
 * scroll position in the webview's state).
 *
 * When the server says the timings changed (`podstart/timingsChanged`: a watch saw pods change, an
 * interval or a save read the cluster again), every open panel asks for its figures again and is
 * redrawn only when they differ, in place: the current page stays until the new one is ready, never
 * the loading page, and a failure keeps it (the output says why).
 */
import { randomBytes } from 'node:crypto';
import { ViewColumn, window, type Disposable, type LogOutputChannel, type WebviewPanel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { REFRESH_TIMINGS_REQUEST, TIMINGS_CHANGED_NOTIFICATION, TIMINGS_REQUEST, type TimingsParams, type TimingsResult } from '../../server/protocol';
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

/** How a panel is filled: opened (the loading page first), its Refresh button (the cluster read again first), or redrawn in place. */
type Fill = 'show' | 'read-again' | 'redraw';

interface Panel {
  panel: WebviewPanel;
  params: TimingsParams;
  generation: number;
  /** A fill is in flight (a redraw asked meanwhile waits for it, then runs). */
  busy: boolean;
  redrawAfter: boolean;
  /** The answer the page shows, as JSON; undefined while it shows the loading or an error page. */
  shown?: string;
}

export class WaterfallPanels implements Disposable {
  private readonly panels = new Map<string, Panel>();
  private readonly subscription: Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly output: LogOutputChannel,
  ) {
    this.subscription = client.onNotification(TIMINGS_CHANGED_NOTIFICATION, () => this.redrawAll());
  }

  /** Opens (or brings back) the workload's waterfall and reads its figures. */
  async show(params: TimingsParams): Promise<void> {
    const key = keyOf(params);
    let entry = this.panels.get(key);
    if (entry) {
      entry.params = params;
      entry.panel.reveal(undefined, false);
    } else {
      const panel = window.createWebviewPanel(WATERFALL_VIEW_TYPE, `Startup: ${params.name}`, { viewColumn: ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [], enableFindWidget: true });
      entry = { panel, params, generation: 0, busy: false, redrawAfter: false };
      this.panels.set(key, entry);
      panel.onDidDispose(() => this.panels.delete(key));
      panel.webview.onDidReceiveMessage((message: { type?: unknown }) => {
        if (message?.type === 'refresh') void this.fill(key, 'read-again');
      });
    }
    await this.fill(key, 'show');
  }

  /** After the cluster was read again (Podstart: Refresh Startup Timings): every open waterfall redrawn in place. */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.panels.keys()].map((key) => this.fill(key, 'redraw')));
  }

  /** The timings changed on the server: every open waterfall whose figures differ is redrawn in place. */
  redrawAll(): void {
    for (const key of this.panels.keys()) void this.fill(key, 'redraw');
  }

  dispose(): void {
    this.subscription.dispose();
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }

  private async fill(key: string, how: Fill): Promise<void> {
    const entry = this.panels.get(key);
    if (!entry) return;
    if (how === 'redraw' && entry.busy) {
      // The fill in flight may have been answered before the change: redraw once it is done.
      entry.redrawAfter = true;
      return;
    }
    const generation = ++entry.generation;
    entry.busy = true;
    const workload = `${entry.params.kind} ${entry.params.namespace ? `${entry.params.namespace}/` : ''}${entry.params.name}`;
    const title = `Startup: ${workload}`;
    if (how === 'show') {
      entry.panel.webview.html = renderLoadingPage(workload, { nonce: nonce(), title }, WATERFALL_STYLE);
      entry.shown = undefined;
    }
    const current = () => generation === entry.generation && this.panels.has(key);
    try {
      if (how === 'read-again') await this.client.sendRequest(REFRESH_TIMINGS_REQUEST);
      const result = await this.client.sendRequest<TimingsResult | undefined>(TIMINGS_REQUEST, entry.params);
      // A newer fill started meanwhile, or the panel closed: its answer wins.
      if (!current()) return;
      if (!result) throw new Error('the language server returned no timings (see its log above)');
      const answer = JSON.stringify(result);
      // The same figures: the page stays as it is (a new page would reload it). The Refresh button's page is always replaced: it says "Refreshing…".
      if (how === 'redraw' && answer === entry.shown) return;
      entry.panel.title = `Startup: ${result.workload.name}`;
      entry.panel.webview.html = renderWaterfallPage(waterfallModel(result), { nonce: nonce(), title }, WATERFALL_STYLE);
      entry.shown = answer;
    } catch (error) {
      this.output.error(`Startup waterfall of ${workload}: ${(error as Error)?.message ?? error}`);
      // A redraw that fails keeps the figures shown; anything else says it failed.
      if (current() && (how !== 'redraw' || entry.shown === undefined)) {
        entry.panel.webview.html = renderLoadingPage(workload, { nonce: nonce(), title }, WATERFALL_STYLE).replace('Reading the cluster…', 'The timings could not be read: see the Podstart output.');
        entry.shown = undefined;
      }
    } finally {
      if (generation === entry.generation) {
        entry.busy = false;
        if (entry.redrawAfter && this.panels.has(key)) {
          entry.redrawAfter = false;
          void this.fill(key, 'redraw');
        }
      }
    }
  }
}
