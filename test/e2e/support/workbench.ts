// Drives the code-server workbench in Debian's Chromium the way a user does: keyboard shortcuts, Quick
// Open, the command palette, the Problems panel, hovers. Selectors are VS Code's own DOM classes and ARIA
// labels (what screen readers read), kept in this file so that a workbench update is fixed in one place.
// Every wait is a condition with a deadline.
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import * as path from 'node:path';
import { CodeServer } from './code-server';
import { CHROMIUM_PATH, RESULTS_DIR } from './toolchain';
import { waitFor } from './wait-for';

/**
 * Chromium as root on a machine with no network but the package registries: no sandbox (root), no GPU,
 * and none of the background connections that would fail against the closed network.
 */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const WORKBENCH_DEADLINE_MS = 60_000;
const UI_DEADLINE_MS = 15_000;

/** One row of the Problems panel, as the panel shows it (1-based line and column, as the panel counts). */
export interface Problem {
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  /** The diagnostic's source and code, which the panel shows as "podstart(mutable-image-tag)". */
  source: string;
  code: string;
  line: number;
  column: number;
  /** The file the row is grouped under. */
  file: string;
}

export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly server: CodeServer,
    private readonly consoleLog: WriteStream,
  ) {}

  /** Launches Chromium, opens the run's workspace folder and waits until the Explorer lists its files. */
  static async open(server: CodeServer): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: WORKBENCH_DEADLINE_MS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_DEADLINE_MS);
    // The browser side of the workbench logs here; the server side is in code-server's logs beside it.
    const consoleLog = createWriteStream(path.join(server.resultsDir, 'browser-console.log'));
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.message}\n`));
    page.on('requestfailed', (request) => consoleLog.write(`[requestfailed] ${request.url()}: ${request.failure()?.errorText ?? ''}\n`));
    const workbench = new Workbench(browser, page, server, consoleLog);
    try {
      await page.goto(server.workbenchUrl, { timeout: WORKBENCH_DEADLINE_MS });
      await workbench.explorerRows().first().waitFor({ timeout: WORKBENCH_DEADLINE_MS });
    } catch (error) {
      await workbench.screenshot(`${path.basename(server.resultsDir)}-workbench-did-not-open`).catch(() => undefined);
      await workbench.close();
      throw error;
    }
    return workbench;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.consoleLog.end(resolve));
  }

  /** Saves test-results/<name>.png (the name is made safe for a file name). */
  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---- workbench state -----------------------------------------------------------------------------

  explorerRows(): Locator {
    return this.page.locator('.explorer-folders-view .monaco-list-row');
  }

  /** The file and folder names the Explorer shows, top to bottom. */
  async explorerEntries(): Promise<string[]> {
    return (await this.explorerRows().allInnerTexts()).map((text) => text.trim());
  }

  /** The window title, e.g. "workspace - code-server". */
  async windowTitle(): Promise<string> {
    return (await this.page.locator('.part.titlebar .window-title').innerText()).trim();
  }

  /** ARIA labels of the status bar items, left to right (each item's accessible description of itself). */
  async statusBarLabels(): Promise<string[]> {
    const labels = await this.page.locator('.part.statusbar .statusbar-item').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
    return labels.filter((label) => label !== '');
  }

  /** Whether the status bar shows the Restricted Mode indicator now; see waitForRestrictedMode to wait for it. */
  async isRestrictedMode(): Promise<boolean> {
    return (await this.page.locator('#status\\.workspaceTrust').count()) > 0;
  }

  /** Waits until the Restricted Mode indicator is (or is not) in the status bar; it appears a moment after the Explorer. */
  async waitForRestrictedMode(restricted: boolean): Promise<void> {
    await waitFor(async () => (await this.isRestrictedMode()) === restricted, {
      description: `the status bar to ${restricted ? 'show' : 'no longer show'} Restricted Mode`,
      timeoutMs: UI_DEADLINE_MS,
    });
  }

  // ---- workspace trust -----------------------------------------------------------------------------

  /**
   * Trusts the workspace folder as a user would: the startup dialog's "Yes, I trust the authors" when
   * the workbench shows it, otherwise the Trust button of the Workspace Trust editor (Workspaces: Manage
   * Workspace Trust), which code-server shows as a modal editor. Resolves once the folder is trusted and
   * the Restricted Mode indicator has left the status bar.
   */
  async trustWorkspace(): Promise<void> {
    const startupDialogButton = this.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Yes, I trust the authors/ });
    if ((await startupDialogButton.count()) > 0) {
      await startupDialogButton.first().click();
    } else {
      await this.runCommand('Workspaces: Manage Workspace Trust');
      const trustEditor = this.page.locator('.workspace-trust-editor');
      const state = await waitFor(async () => {
        const classes = ((await trustEditor.first().getAttribute('class')) ?? '').split(/\s+/);
        return classes.includes('untrusted') ? 'untrusted' : classes.includes('trusted') ? 'trusted' : undefined;
      }, { description: 'the Workspace Trust editor to show the folder\'s trust', timeoutMs: UI_DEADLINE_MS });
      if (state === 'untrusted') {
        await trustEditor.locator('.workspace-trust-buttons .monaco-button', { hasText: /^Trust$/ }).click();
        await this.page.locator('.workspace-trust-editor.trusted').waitFor();
      }
      await this.closeModalEditor();
    }
    await this.waitForRestrictedMode(false);
  }

  // ---- editors -------------------------------------------------------------------------------------

  /** The active editor tab's label ("orders-api.yaml"), or undefined when no editor is open. */
  async activeTabLabel(): Promise<string | undefined> {
    const tab = this.page.locator('.part.editor:not(.modal-editor-part) .editor-group-container.active .tabs-container .tab.active');
    return (await tab.count()) > 0 ? ((await tab.first().getAttribute('aria-label')) ?? undefined) : undefined;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits until its editor is active and has text. */
  async openFile(fileName: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = await this.visibleQuickInput();
    await input.fill(fileName);
    const result = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { has: this.page.locator('.label-name', { hasText: fileName }) });
    await waitFor(async () => (await result.count()) > 0, { description: `Quick Open to list ${fileName}`, timeoutMs: UI_DEADLINE_MS });
    await result.first().click();
    await waitFor(async () => (await this.activeTabLabel()) === fileName, { description: `the editor of ${fileName} to be active`, timeoutMs: UI_DEADLINE_MS });
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor();
  }

  activeEditor(): Locator {
    return this.page.locator('.part.editor:not(.modal-editor-part) .editor-group-container.active .monaco-editor').first();
  }

  /**
   * Closes the editor that the workbench shows as a modal dialog over the main editors (Workspace Trust,
   * among others, opens there), with its title bar's close button.
   */
  async closeModalEditor(): Promise<void> {
    const modal = this.page.locator('.part.editor.modal-editor-part');
    if (!(await modal.isVisible())) return;
    await modal.locator('.modal-editor-header .action-label.codicon-close').click();
    await modal.waitFor({ state: 'hidden' });
  }

  /** Closes the active editor (Ctrl+W would close the browser tab in a real browser; the command does not). */
  async closeActiveEditor(expectedLabel: string): Promise<void> {
    const label = await this.activeTabLabel();
    if (label !== expectedLabel) return;
    await this.runCommand('View: Close Editor');
    await waitFor(async () => (await this.activeTabLabel()) !== expectedLabel, { description: `the ${expectedLabel} editor to close`, timeoutMs: UI_DEADLINE_MS });
  }

  /** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G), as the status bar counts them. */
  async goToPosition(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = await this.visibleQuickInput();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await waitFor(async () => (await this.cursorPosition()) === `Ln ${line}, Col ${column}`, { description: `the cursor to reach Ln ${line}, Col ${column}`, timeoutMs: UI_DEADLINE_MS });
  }

  /** The status bar's cursor position, "Ln 23, Col 20". */
  async cursorPosition(): Promise<string | undefined> {
    const item = this.page.locator('#status\\.editor\\.selection');
    return (await item.count()) > 0 ? (await item.innerText()).trim() : undefined;
  }

  /**
   * Shows the hover at a position (Go to Line, then "Show or Focus Hover", the keyboard's way of hovering)
   * and returns its text once it has content.
   */
  async hoverAt(line: number, column: number): Promise<string> {
    await this.goToPosition(line, column);
    await this.runCommand('Show or Focus Hover');
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
    return waitFor(
      async () => {
        const text = (await hover.allInnerTexts()).join('\n').trim();
        return text !== '' && !/^Loading\.\.\.$/.test(text) ? text : undefined;
      },
      { description: `a hover at ${line}:${column}`, timeoutMs: UI_DEADLINE_MS },
    );
  }

  // ---- command palette ---------------------------------------------------------------------------

  /** Runs a command by its palette label ("Podstart: Show Output"), as typed into the palette (F1). */
  async runCommand(label: string): Promise<void> {
    const row = await this.findCommand(label);
    if (!row) throw new Error(`the command palette has no command "${label}"`);
    await row.click();
    await waitFor(async () => !(await this.page.locator('.quick-input-widget').isVisible()) || !(await row.isVisible()), {
      description: `the command palette to close after "${label}"`,
      timeoutMs: UI_DEADLINE_MS,
    });
  }

  /** Labels the command palette lists for a query, after it has settled; closes the palette. */
  async commandPaletteEntries(query: string): Promise<string[]> {
    await this.openCommandPalette(query);
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const labels = await waitFor(async () => {
      const found = (await rows.evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''))).filter((label) => label !== '');
      return found.length > 0 ? found : undefined;
    }, { description: `the command palette to list commands for "${query}"`, timeoutMs: UI_DEADLINE_MS });
    await this.page.keyboard.press('Escape');
    return labels;
  }

  private async openCommandPalette(query: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = await this.visibleQuickInput();
    await input.fill(`>${query}`);
  }

  /** The palette row whose label is exactly `label`, with the palette left open on it; undefined when none appears. */
  private async findCommand(label: string): Promise<Locator | undefined> {
    await this.openCommandPalette(label);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
    const found = await waitFor(async () => (await row.count()) > 0, { description: `the command palette to list "${label}"`, timeoutMs: UI_DEADLINE_MS }).catch(() => false);
    if (!found) {
      await this.page.keyboard.press('Escape');
      return undefined;
    }
    return row.first();
  }

  private async visibleQuickInput(): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    return input;
  }

  // ---- Problems panel ------------------------------------------------------------------------------

  /** Opens the Problems panel (View: Focus Problems) when it is not showing. */
  async showProblems(): Promise<void> {
    if (await this.page.locator('.markers-panel').isVisible()) return;
    await this.runCommand('Problems: Focus on Problems View');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible' });
  }

  /**
   * The rows of the Problems panel, each file's findings under its name, as currently shown. The panel
   * renders only the rows that fit (it is a virtual list): keep the findings of a test within one screen.
   */
  async problems(): Promise<Problem[]> {
    await this.showProblems();
    const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((items) =>
      items.map((item) => ({
        label: item.getAttribute('aria-label') ?? '',
        text: (item as unknown as { innerText: string }).innerText,
        isFile: item.querySelector('.file-icon') !== null,
        severity: item.querySelector('.marker-icon')?.className ?? '',
        message: item.querySelector('.marker-message')?.textContent ?? '',
        source: item.querySelector('.marker-source')?.textContent ?? '',
        code: item.querySelector('.marker-code')?.textContent ?? '',
        position: item.querySelector('.marker-line')?.textContent ?? '',
      })),
    );
    const problems: Problem[] = [];
    let file = '';
    for (const row of rows) {
      const position = /Ln (\d+), Col (\d+)/.exec(row.position);
      if (!position) {
        file = row.text.split('\n')[0]?.trim() ?? '';
        continue;
      }
      problems.push({
        severity: severityOf(row.severity),
        message: row.message.trim(),
        source: row.source.trim(),
        code: row.code.replace(/^\(|\)$/g, '').trim(),
        line: Number(position[1]),
        column: Number(position[2]),
        file,
      });
    }
    return problems;
  }

  /** Waits until the Problems panel shows rows that satisfy `accept`, and returns them. */
  async waitForProblems(accept: (problems: Problem[]) => boolean, description: string, timeoutMs = 30_000): Promise<Problem[]> {
    return waitFor(
      async () => {
        const problems = await this.problems();
        return accept(problems) ? problems : undefined;
      },
      { description: `the Problems panel to show ${description}`, timeoutMs, pollMs: 250 },
    );
  }
}

/** The Problems panel marks a row's severity with a class on its icon: "marker-icon warning". */
function severityOf(iconClass: string): Problem['severity'] {
  const classes = iconClass.split(/\s+/);
  for (const severity of ['error', 'warning', 'info'] as const) if (classes.includes(severity)) return severity;
  return 'unknown';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
