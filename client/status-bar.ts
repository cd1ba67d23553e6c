/**
 * The status bar item: "Podstart" with the active file's finding count, or "Podstart: off".
 * It shows only while the active editor holds Kubernetes workloads, which only the server knows,
 * so every update asks it (podstart/documentStatus). Updates follow the active editor, the
 * file's diagnostics and the podstart settings, and are throttled: the item is informational.
 */
import { languages, MarkdownString, StatusBarAlignment, window, workspace, type Disposable, type StatusBarItem, type TextEditor } from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { DOCUMENT_STATUS_REQUEST, SETTINGS_SECTION, type DocumentStatus, type DocumentStatusParams } from '../server/protocol';

const UPDATE_DELAY_MS = 150;

export class PodstartStatusBar implements Disposable {
  private readonly item: StatusBarItem;
  private readonly subscriptions: Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Requests answered out of order must not overwrite a newer answer. */
  private requestId = 0;

  constructor(private readonly client: LanguageClient) {
    this.item = window.createStatusBarItem('podstart.status', StatusBarAlignment.Right, 100);
    this.item.name = 'Podstart';
    this.subscriptions.push(
      window.onDidChangeActiveTextEditor(() => this.scheduleUpdate(0)),
      languages.onDidChangeDiagnostics((event) => {
        const active = window.activeTextEditor?.document.uri.toString();
        if (active && event.uris.some((uri) => uri.toString() === active)) this.scheduleUpdate();
      }),
      workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION)) this.scheduleUpdate();
      }),
      client.onDidChangeState(() => this.scheduleUpdate(0)),
    );
    this.scheduleUpdate(0);
  }

  scheduleUpdate(delay = UPDATE_DELAY_MS): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update(window.activeTextEditor);
    }, delay);
  }

  private async update(editor: TextEditor | undefined): Promise<void> {
    const id = ++this.requestId;
    if (!editor || !STATUS_LANGUAGES.includes(editor.document.languageId) || this.client.state !== State.Running) {
      this.item.hide();
      return;
    }
    let status: DocumentStatus | undefined;
    try {
      const params: DocumentStatusParams = { uri: editor.document.uri.toString() };
      status = await this.client.sendRequest<DocumentStatus | undefined>(DOCUMENT_STATUS_REQUEST, params);
    } catch {
      // The server restarted or stopped mid-request; the state change schedules another update.
      status = undefined;
    }
    if (id !== this.requestId) return;
    if (!status || status.workloadCount + (status.kubeletConfigCount ?? 0) === 0) {
      this.item.hide();
      return;
    }
    this.render(status);
    this.item.show();
  }

  private render(status: DocumentStatus): void {
    const workloads = describeContents(status);
    const tooltip = new MarkdownString(undefined, true);
    if (!status.enabled) {
      this.item.text = '$(circle-slash) Podstart: off';
      tooltip.appendMarkdown(`Podstart is turned off for this file (\`podstart.enable\`).\n\nClick to open the Podstart output.`);
      this.item.command = 'podstart.showOutput';
      this.item.tooltip = tooltip;
      return;
    }
    const { error, warning, info, hint } = status.findings;
    const total = error + warning + info + hint;
    const icon = error > 0 ? '$(error)' : warning > 0 ? '$(warning)' : total > 0 ? '$(info)' : '$(check)';
    this.item.text = total > 0 ? `${icon} Podstart ${total}` : `${icon} Podstart`;
    if (status.skippedBecause) {
      tooltip.appendMarkdown(`Podstart did not analyse this file: ${status.skippedBecause}.`);
    } else if (total === 0) {
      tooltip.appendMarkdown(`No startup findings in ${workloads}.`);
    } else {
      const parts = ([['error', error], ['warning', warning], ['info', info], ['hint', hint]] as const).filter(([, count]) => count > 0).map(([name, count]) => `${count} ${name}${count === 1 ? '' : 's'}`);
      tooltip.appendMarkdown(`${total} startup finding${total === 1 ? '' : 's'} in ${workloads}: ${parts.join(', ')}.`);
    }
    tooltip.appendMarkdown(total > 0 ? '\n\nClick to open the Problems view.' : '\n\nClick to open the Podstart output.');
    this.item.tooltip = tooltip;
    this.item.command = total > 0 ? 'workbench.actions.view.problems' : 'podstart.showOutput';
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.item.dispose();
  }
}

/** Languages whose documents can hold what the status counts: manifests and kubelet configurations (YAML or JSON). */
const STATUS_LANGUAGES = ['yaml', 'json'];

/** "3 workloads", "1 kubelet configuration", "2 workloads and 1 kubelet configuration". */
function describeContents(status: DocumentStatus): string {
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const parts = [];
  if (status.workloadCount > 0) parts.push(plural(status.workloadCount, 'workload'));
  if ((status.kubeletConfigCount ?? 0) > 0) parts.push(plural(status.kubeletConfigCount!, 'kubelet configuration'));
  return parts.join(' and ');
}
