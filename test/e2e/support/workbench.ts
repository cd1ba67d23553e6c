// Drives the code-server workbench in Debian's Chromium the way a user does: keyboard shortcuts, Quick
// Open, the command palette, the Problems panel, hovers. Selectors are VS Code's own DOM classes and ARIA
// labels (what screen readers read), kept in this file so that a workbench update is fixed in one place.
// Every wait is a condition with a deadline.
import { Browser, chromium, Locator, Page } from 'playwright-core';
import { createWriteStream, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import * as path from 'node:path';
import { CodeServer, DEFAULT_USER_SETTINGS } from './code-server';
import { CHROMIUM_PATH, RESULTS_DIR } from './toolchain';
import { waitFor } from './wait-for';

/**
 * Chromium as root on a machine with no network but the package registries: no sandbox (root), no GPU,
 * and none of the background connections that would fail against the closed network.
 */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const WORKBENCH_DEADLINE_MS = 60_000;
const UI_DEADLINE_MS = 15_000;

/** Recorders and readers that run inside the page (see the file). */
const IN_PAGE_PROBES = path.join(__dirname, 'in-page-probes.js');

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

/** A squiggle as the editor draws it: the gutter's line number and the characters it underlines. */
export interface Squiggle {
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint' | 'unknown';
  text: string;
}

/** A notification toast or a dialog the workbench showed, recorded when it appeared. */
export interface ShownNotification {
  kind: 'notification' | 'dialog';
  severity: 'error' | 'warning' | 'info' | 'unknown';
  message: string;
  /** The extension or component that raised it, as the notification names it ("Podstart"). */
  source: string;
  at: string;
}

/** One item of a quick pick (Show Rules, Quick Open...), as listed. */
export interface QuickPickEntry {
  label: string;
  description: string;
  detail: string;
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
    await page.addInitScript({ path: IN_PAGE_PROBES });
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

  /**
   * A status bar item by its id ("<extension id>.<item id>" for an extension's item): the text it shows
   * (icons are not text) and its accessible label, which VS Code builds from the icon, text and tooltip.
   */
  async statusBarItem(id: string): Promise<{ text: string; icons: string[]; label: string } | undefined> {
    const item = this.page.locator(`.part.statusbar [id="${id}"]`);
    if ((await item.count()) === 0 || !(await item.isVisible())) return undefined;
    const icons = await item.locator('.codicon').evaluateAll((elements) =>
      elements.flatMap((element) => [...element.classList].filter((name) => name.startsWith('codicon-')).map((name) => name.slice('codicon-'.length))),
    );
    return { text: (await item.innerText()).trim(), icons, label: (await item.getAttribute('aria-label')) ?? '' };
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

  // ---- settings ------------------------------------------------------------------------------------

  /**
   * Replaces the user settings the way a user does: Preferences: Open User Settings (JSON), select all,
   * type the new settings (DEFAULT_USER_SETTINGS with `settings` over them, on one line so that the
   * editor's auto-indent has nothing to do), save, close. Resolves once the file on disk holds exactly
   * those settings. (Writing the file from outside is not enough: code-server does not watch it.)
   */
  async editUserSettings(settings: Record<string, unknown>): Promise<void> {
    await this.editSettingsFile('Preferences: Open User Settings (JSON)', path.join(this.server.userDataDir, 'User', 'settings.json'), { ...DEFAULT_USER_SETTINGS, ...settings });
  }

  /**
   * Replaces the remote settings (code-server's machine settings, `<user-data-dir>/Machine/settings.json`)
   * the same way. Settings of `machine` scope (podstart.kubeconfig, podstart.registry.enabled) are read
   * only from there in code-server, as in any remote window: its user settings are the browser side's.
   */
  async editRemoteSettings(settings: Record<string, unknown>): Promise<void> {
    // The command names the remote: "Preferences: Open Remote Settings (JSON) (<host>)".
    const isRemoteSettings = (candidate: string) => candidate.startsWith('Preferences: Open Remote Settings (JSON)');
    const labels = await this.commandPaletteEntries('Preferences: Open Remote Settings (JSON)', (shown) => shown.some(isRemoteSettings));
    await this.editSettingsFile(labels.find(isRemoteSettings)!, path.join(this.server.userDataDir, 'Machine', 'settings.json'), settings);
  }

  private async editSettingsFile(command: string, file: string, wanted: Record<string, unknown>): Promise<void> {
    await this.runCommand(command);
    const editor = this.page.locator('.part.editor .monaco-editor', { has: this.page.locator('.view-lines') }).last();
    await waitFor(async () => (await this.page.locator('.part.editor .tab.active[data-resource-name="settings.json"], .modal-editor-part .modal-editor-header', { hasText: 'settings.json' }).count()) > 0, {
      description: 'the user settings.json editor to open',
      timeoutMs: UI_DEADLINE_MS,
    });
    await editor.locator('.view-lines').click();
    // Select all and delete first: text inserted over a selection is not inserted as it is.
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(JSON.stringify(wanted));
    const saved = () => {
      try {
        return JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))) === JSON.stringify(wanted);
      } catch {
        return false;
      }
    };
    // A Ctrl+S pressed while the editor is still taking the inserted text is sometimes lost (the
    // editor stays changed): as a user would, press it again when nothing was saved after a while.
    let pressedAt = 0;
    await waitFor(
      async () => {
        if (saved()) return true;
        if (Date.now() - pressedAt > 4000) {
          await this.page.keyboard.press('Control+S');
          pressedAt = Date.now();
        }
        return false;
      },
      { description: `${file} to be saved with the new settings`, timeoutMs: UI_DEADLINE_MS },
    );
    if (await this.page.locator('.part.editor.modal-editor-part').isVisible()) {
      await this.closeModalEditor();
    } else {
      // On disk before the editor stops counting it as changed: closing it earlier would ask to save.
      const dirtyTab = this.page.locator('.part.editor .tab.dirty[data-resource-name="settings.json"]');
      await waitFor(async () => (await dirtyTab.count()) === 0, { description: 'the settings.json editor to count as saved', timeoutMs: UI_DEADLINE_MS });
      await this.closeEditor('settings.json', { waitForProblems: false });
    }
  }

  // ---- editors -------------------------------------------------------------------------------------

  /** The active editor tab's label ("orders-api.yaml"), or undefined when no editor is open. */
  async activeTabLabel(): Promise<string | undefined> {
    const tab = this.page.locator('.part.editor:not(.modal-editor-part) .editor-group-container.active .tabs-container .tab.active');
    return (await tab.count()) > 0 ? ((await tab.first().getAttribute('aria-label')) ?? undefined) : undefined;
  }

  /** Waits until the active editor tab is `label` ("Preview mutable-image-tag.md"). */
  async waitForActiveTab(label: string): Promise<void> {
    await waitFor(async () => (await this.activeTabLabel()) === label, { description: `the active editor tab to be "${label}"`, timeoutMs: UI_DEADLINE_MS });
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
    // Just after a save the file is on disk before the editor stops counting it as changed: closing it
    // then asks whether to save. Saving again writes the same text.
    const saveButton = this.page.locator('.monaco-dialog-box', { hasText: /Do you want to save the changes/ }).locator('.monaco-button', { hasText: /^Save$/ });
    const outcome = await waitFor(async () => ((await saveButton.count()) > 0 ? 'asked' : (await modal.isVisible()) ? undefined : 'closed'), { description: 'the modal editor to close', timeoutMs: UI_DEADLINE_MS });
    if (outcome === 'asked') {
      await saveButton.first().click();
      await modal.waitFor({ state: 'hidden' });
    }
  }

  /** Closes the active editor (Ctrl+W would close the browser tab in a real browser; the command does not). */
  async closeActiveEditor(expectedLabel: string): Promise<void> {
    const label = await this.activeTabLabel();
    if (label !== expectedLabel) return;
    await this.runCommand('View: Close Editor');
    await waitFor(async () => (await this.activeTabLabel()) !== expectedLabel, { description: `the ${expectedLabel} editor to close`, timeoutMs: UI_DEADLINE_MS });
  }

  /**
   * Closes a file's editor (activating its tab first) and waits until its tab is gone and the Problems
   * panel no longer lists it: Podstart analyses open files only, so their findings leave with them.
   */
  async closeEditor(fileName: string, options: { waitForProblems?: boolean } = {}): Promise<void> {
    const tab = this.page.locator(`.part.editor:not(.modal-editor-part) .tabs-container .tab[data-resource-name="${fileName}"]`);
    if ((await tab.count()) === 0) throw new Error(`no editor tab shows ${fileName}`);
    await tab.first().click();
    await this.waitForActiveTab(fileName);
    await this.runCommand('View: Close Editor');
    await tab.first().waitFor({ state: 'detached' });
    if (options.waitForProblems === false) return;
    await this.waitForProblems((problems) => !problems.some((problem) => problem.file === fileName), `no findings of the closed ${fileName}`);
  }

  /** Puts the cursor at a 1-based line and column with Go to Line (Ctrl+G), as the status bar counts them. */
  async goToPosition(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = await this.visibleQuickInput();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await waitFor(async () => (await this.cursorPosition()) === `Ln ${line}, Col ${column}`, { description: `the cursor to reach Ln ${line}, Col ${column}`, timeoutMs: UI_DEADLINE_MS });
  }

  /** The status bar's cursor position, "Ln 23, Col 20". */
  async cursorPosition(): Promise<string | undefined> {
    const item = this.page.locator('#status\\.editor\\.selection');
    return (await item.count()) > 0 ? (await item.innerText()).trim() : undefined;
  }

  /** Whether the active editor's tab shows unsaved changes. */
  async isActiveEditorDirty(): Promise<boolean> {
    const tab = this.page.locator('.part.editor:not(.modal-editor-part) .editor-group-container.active .tabs-container .tab.active');
    return ((await tab.first().getAttribute('class')) ?? '').split(/\s+/).includes('dirty');
  }

  /** Saves the active editor (File: Save) and waits until its tab no longer shows unsaved changes. */
  async save(): Promise<void> {
    await this.runCommand('File: Save');
    await waitFor(async () => !(await this.isActiveEditorDirty()), { description: 'the active editor to be saved', timeoutMs: UI_DEADLINE_MS });
  }

  /** Scrolls a line into view the way a user does (Go to Line) and waits until the gutter shows it. */
  async revealLine(line: number): Promise<void> {
    await this.goToPosition(line, 1);
    const gutterNumber = this.activeEditor().locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${line}$`) });
    await gutterNumber.first().waitFor({ state: 'visible' });
  }

  /** The squiggles the active editor draws on the lines it shows now, top to bottom. */
  async visibleSquiggles(): Promise<Squiggle[]> {
    return this.activeEditor().evaluate((editor) => (globalThis as unknown as InPageProbes).__podstartE2e.squiggles(editor));
  }

  /**
   * Every squiggle of the active file: scrolls through it (Go to Line, a screen at a time) and collects
   * what each screen shows. `lineCount` is the file's number of lines.
   */
  async squigglesInFile(lineCount: number): Promise<Squiggle[]> {
    const seen = new Map<string, Squiggle>();
    const visibleLines = await this.activeEditor().locator('.view-lines > .view-line').count();
    const step = Math.max(1, Math.floor(visibleLines / 2));
    for (let line = 1; ; line = Math.min(lineCount, line + step)) {
      await this.revealLine(line);
      for (const squiggle of await this.visibleSquiggles()) seen.set(JSON.stringify(squiggle), squiggle);
      if (line === lineCount) break;
    }
    return [...seen.values()].sort((a, b) => a.line - b.line || a.text.localeCompare(b.text));
  }

  /** Waits until the squiggles on one line satisfy `accept` (the line is scrolled into view first). */
  async waitForSquigglesOnLine(line: number, accept: (squiggles: Squiggle[]) => boolean, description: string): Promise<Squiggle[]> {
    await this.revealLine(line);
    return waitFor(
      async () => {
        const onLine = (await this.visibleSquiggles()).filter((squiggle) => squiggle.line === line);
        return accept(onLine) ? onLine : undefined;
      },
      { description: `line ${line} to show ${description}`, timeoutMs: UI_DEADLINE_MS, pollMs: 200 },
    );
  }

  // ---- quick fixes ---------------------------------------------------------------------------------

  private actionWidgetRows(): Locator {
    return this.page.locator('.action-widget .monaco-list-row.action');
  }

  /**
   * Puts the cursor at a 1-based position, opens the Quick Fix menu (Ctrl+.) and returns the titles it
   * lists, top to bottom, leaving it open.
   */
  async openQuickFixes(line: number, column: number): Promise<string[]> {
    await this.goToPosition(line, column);
    // Moving the cursor makes the editor ask for code actions on its own, to show the light bulb; a
    // Ctrl+. pressed before that request is answered can be superseded by it and show nothing. So, as a
    // user would, wait for the light bulb first, and press Ctrl+. again if the menu still does not come.
    await this.activeEditor().locator('.codicon[class*="lightbulb"], .codicon[class*="light-bulb"]').first().waitFor({ state: 'visible' });
    // The editor answers with the menu, or with a message such as "No code actions available".
    const message = this.activeEditor().locator('.monaco-editor-overlaymessage');
    const answered = async () => ((await this.actionWidgetRows().first().isVisible()) ? 'menu' : (await message.isVisible()) ? 'message' : undefined);
    const answer = await waitFor(
      async () => {
        await this.page.keyboard.press('Control+.');
        return waitFor(answered, { description: 'an answer to Ctrl+.', timeoutMs: 3_000 }).catch(() => undefined);
      },
      { description: `the Quick Fix menu at ${line}:${column}`, timeoutMs: UI_DEADLINE_MS, pollMs: 0 },
    );
    if (answer === 'message') throw new Error(`Ctrl+. at ${line}:${column} showed "${(await message.innerText()).trim()}" instead of the Quick Fix menu`);
    return (await this.actionWidgetRows().locator('.title').allInnerTexts()).map((title) => title.trim());
  }

  /** Chooses a title in the open Quick Fix menu and waits until the menu closes. */
  async chooseQuickFix(title: string): Promise<void> {
    await this.actionWidgetRows().filter({ has: this.page.locator('.title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) }).click();
    await this.actionWidgetRows().first().waitFor({ state: 'hidden' });
  }

  // ---- hovers --------------------------------------------------------------------------------------

  /**
   * Moves the mouse over the squiggle that underlines `text` on a line (scrolled into view first) and
   * returns the hover's text once it has content.
   */
  async hoverSquiggle(line: number, text: string): Promise<string> {
    await this.revealLine(line);
    const target = await waitFor(
      async () => {
        const onLine = await this.activeEditor().evaluate((editor, wanted) => (globalThis as unknown as InPageProbes).__podstartE2e.squiggles(editor, true).filter((squiggle) => squiggle.line === wanted), line);
        return onLine.find((squiggle) => squiggle.text === text)?.center;
      },
      { description: `a squiggle under "${text}" on line ${line}`, timeoutMs: UI_DEADLINE_MS, pollMs: 200 },
    );
    await this.page.mouse.move(target.x, target.y - 3);
    return this.waitForHoverText(`the hover of the squiggle under "${text}"`);
  }

  /** The hover's text once it has content, and (`until`) once that content has arrived: the parts of a hover come from several providers, one after another. */
  private async waitForHoverText(description: string, until: (shown: string) => boolean = () => true): Promise<string> {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden) .monaco-hover-content');
    return waitFor(
      async () => {
        const shown = (await hover.allInnerTexts()).join('\n').trim();
        return shown !== '' && !/^Loading\.\.\.$/.test(shown) && until(shown) ? shown : undefined;
      },
      { description, timeoutMs: UI_DEADLINE_MS },
    );
  }

  /** The hover the editor shows now. */
  visibleHover(): Locator {
    return this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
  }

  /**
   * Shows the hover at a position (Go to Line, then "Show or Focus Hover", the keyboard's way of hovering)
   * and returns its text once it has content.
   */
  async hoverAt(line: number, column: number, until?: (shown: string) => boolean): Promise<string> {
    await this.goToPosition(line, column);
    await this.runCommand('Show or Focus Hover');
    return this.waitForHoverText(`a hover at ${line}:${column}`, until);
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

  /**
   * The command labels the palette lists for a query, once they satisfy `accept` (by default: once it
   * lists any); closes the palette. The palette is reopened while waiting, as it lists only the commands
   * registered when it opened.
   */
  async commandPaletteEntries(
    query: string,
    accept: (labels: string[]) => boolean = (labels) => labels.length > 0,
    options: { keepOpen?: boolean } = {},
  ): Promise<string[]> {
    const names = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row .quick-input-list-row:first-child .label-name');
    let opened = false;
    let found = false;
    try {
      const labels = await waitFor(
        async () => {
          if (opened) await this.page.keyboard.press('Escape');
          await this.openCommandPalette(query);
          opened = true;
          return waitFor(async () => {
            const labels = (await names.allInnerTexts()).map((label) => label.trim());
            return accept(labels) ? labels : undefined;
          }, { description: `the command palette to list the expected commands for "${query}"`, timeoutMs: 2_000 }).catch(() => undefined);
        },
        { description: `the command palette to list the expected commands for "${query}"`, timeoutMs: UI_DEADLINE_MS, pollMs: 0 },
      );
      found = true;
      return labels;
    } finally {
      if (opened && !(found && options.keepOpen)) await this.closeQuickInput();
    }
  }

  /** Closes the quick input (palette, quick pick) with Escape and waits until it has gone. */
  async closeQuickInput(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  // ---- quick picks ---------------------------------------------------------------------------------

  private quickPickRows(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** The items the open quick pick renders now (its list renders only the rows that fit) and how many it has in all. */
  private async renderedQuickPickEntries(): Promise<{ entries: QuickPickEntry[]; total: number }> {
    const rows = await this.quickPickRows().evaluateAll((items) =>
      items.map((item) => ({
        total: Number(item.getAttribute('aria-setsize') ?? '0'),
        label: (item.querySelector('.quick-input-list-row:first-child .label-name')?.textContent ?? '').trim(),
        description: (item.querySelector('.label-description')?.textContent ?? '').trim(),
        detail: (item.querySelector('.quick-input-list-label-meta .label-name')?.textContent ?? '').trim(),
      })),
    );
    return { entries: rows.map(({ label, description, detail }) => ({ label, description, detail })), total: rows[0]?.total ?? 0 };
  }

  /**
   * Types `filter` into the open quick pick and returns the items it lists, once they satisfy `accept`
   * (by default: once it lists any), with the number of items that match in all.
   */
  async filterQuickPick(
    filter: string,
    accept: (entries: QuickPickEntry[]) => boolean = (entries) => entries.length > 0,
  ): Promise<{ entries: QuickPickEntry[]; total: number }> {
    // The input is briefly not editable while one quick input replaces another (the command palette
    // closing, the command's own pick opening): typed again until it takes the text.
    await waitFor(
      async () => {
        await (await this.visibleQuickInput()).fill(filter, { timeout: 2_000 });
        return true;
      },
      { description: `the quick input to take "${filter}"`, timeoutMs: UI_DEADLINE_MS },
    );
    return waitFor(
      async () => {
        const rendered = await this.renderedQuickPickEntries();
        return accept(rendered.entries) ? rendered : undefined;
      },
      { description: `the quick pick to list the expected items for "${filter}"`, timeoutMs: UI_DEADLINE_MS },
    );
  }

  /** Chooses the quick pick item whose label is exactly `label`. */
  async chooseQuickPickEntry(label: string): Promise<void> {
    const row = this.quickPickRows().filter({
      has: this.page.locator('.quick-input-list-row:first-child .label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
    await row.click();
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  private async openCommandPalette(query: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = await this.visibleQuickInput();
    await input.fill(`>${query}`);
  }

  /** The palette row whose label is exactly `label`, with the palette left open on it; undefined when none appears. */
  private async findCommand(label: string): Promise<Locator | undefined> {
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
    // The palette lists the commands registered when it opened: one that registers a moment later (the
    // workbench is still restoring, an extension is still activating) appears only when it is reopened.
    let opened = false;
    const found = await waitFor(
      async () => {
        if (opened) await this.page.keyboard.press('Escape');
        await this.openCommandPalette(label);
        opened = true;
        return waitFor(async () => (await row.count()) > 0, { description: `the command palette to list "${label}"`, timeoutMs: 2_000 }).catch(() => false);
      },
      { description: `the command palette to list "${label}"`, timeoutMs: UI_DEADLINE_MS, pollMs: 0 },
    ).catch(() => false);
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

  /** The link a Problems panel row makes of a diagnostic's code (the rule id), to its documentation. */
  problemCodeLink(code: string): Locator {
    return this.page.locator('.markers-panel .monaco-list-row a.monaco-link', { has: this.page.locator('.marker-code', { hasText: new RegExp(`^${escapeRegExp(code)}$`) }) }).first();
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

  // ---- Output panel --------------------------------------------------------------------------------

  /** The channel the Output panel shows ("Podstart") and the text of its lines on screen. */
  async outputPanel(): Promise<{ channel: string; text: string } | undefined> {
    const view = this.page.locator('.part.panel .output-view');
    if (!(await view.isVisible())) return undefined;
    const channel = (await this.page.locator('.part.panel select[aria-label="Switch Output"]').first().inputValue()).trim();
    const text = await view.locator('.view-lines').first().innerText();
    return { channel, text: text.replace(/\u00a0/g, ' ') };
  }

  /** Waits until the Output panel shows a channel whose text satisfies `accept`. */
  async waitForOutput(accept: (output: { channel: string; text: string }) => boolean, description: string): Promise<{ channel: string; text: string }> {
    return waitFor(
      async () => {
        const output = await this.outputPanel();
        return output && accept(output) ? output : undefined;
      },
      { description: `the Output panel to show ${description}`, timeoutMs: UI_DEADLINE_MS, pollMs: 200 },
    );
  }

  // ---- webviews (Markdown preview) ---------------------------------------------------------------

  /** An element of the content of the webview on screen (the Markdown preview renders in one). */
  webviewContent(selector: string, options?: { hasText?: string | RegExp }): Locator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator(selector, options);
  }

  // ---- notifications -----------------------------------------------------------------------------

  /** Every notification toast and dialog the workbench has shown since the page loaded (or the last forgetNotifications), in order. */
  async shownNotifications(): Promise<ShownNotification[]> {
    return this.page.evaluate(() => [...(globalThis as unknown as InPageProbes).__podstartE2e.notifications]);
  }

  /** Waits until the notifications shown satisfy `accept`, and returns them. */
  async waitForNotifications(accept: (shown: ShownNotification[]) => boolean, description: string): Promise<ShownNotification[]> {
    return waitFor(
      async () => {
        const shown = await this.shownNotifications();
        return accept(shown) ? shown : undefined;
      },
      { description: `the workbench to show ${description}`, timeoutMs: UI_DEADLINE_MS },
    );
  }

  /** Clears the record of notifications shown (for a test that raises them on purpose). */
  async forgetNotifications(): Promise<void> {
    await this.page.evaluate(() => (globalThis as unknown as InPageProbes).__podstartE2e.forget());
  }
}

/** What in-page-probes.js installs in the page. */
interface InPageProbes {
  __podstartE2e: {
    notifications: ShownNotification[];
    forget(): void;
    squiggles(editor: unknown, withCenters?: boolean): (Squiggle & { center?: { x: number; y: number } })[];
  };
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
