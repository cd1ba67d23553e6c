/** The Podstart commands (category "Podstart" in the command palette). */
import { commands, window, workspace, type Disposable, type ExtensionContext, type LogOutputChannel } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FIX_ALL_REQUEST, SHOW_RULE_DOC_COMMAND, type FixAllParams, type FixAllResult } from '../server/protocol';
import { showRuleDoc } from './rule-docs';
import { showRules } from './rule-list';

/** Languages of the documents Podstart fixes (package.json enables the command for the same ones). */
export const FIXABLE_LANGUAGES = ['yaml', 'dockerfile', 'json'];

/** Applies every safe fix in the active file, as `source.fixAll.podstart` does on save. */
async function fixAllInActiveEditor(client: LanguageClient): Promise<void> {
  const editor = window.activeTextEditor;
  if (!editor || !FIXABLE_LANGUAGES.includes(editor.document.languageId)) {
    void window.showInformationMessage('Podstart: open a Kubernetes YAML file or a Dockerfile to fix.');
    return;
  }
  const params: FixAllParams = { uri: editor.document.uri.toString() };
  const result = await client.sendRequest<FixAllResult>(FIX_ALL_REQUEST, params);
  if (!result?.edit || result.fixed === 0) {
    void window.setStatusBarMessage('Podstart: nothing to fix safely in this file.', 3000);
    return;
  }
  const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
  if (!(await workspace.applyEdit(edit))) {
    void window.showWarningMessage('Podstart: the file changed while the fixes were computed; run the command again.');
    return;
  }
  void window.setStatusBarMessage(`Podstart: applied ${result.fixed} fix${result.fixed === 1 ? '' : 'es'}.`, 3000);
}

export function registerCommands(context: ExtensionContext, client: LanguageClient, output: LogOutputChannel): Disposable[] {
  return [
    commands.registerCommand('podstart.showOutput', () => output.show(true)),
    commands.registerCommand('podstart.restartServer', async () => {
      output.info('Restarting the Podstart language server.');
      await client.restart();
    }),
    commands.registerCommand(SHOW_RULE_DOC_COMMAND, (ruleId?: unknown) => showRuleDoc(context, ruleId)),
    commands.registerCommand('podstart.showRules', async () => {
      try {
        await showRules(context, client);
      } catch (error) {
        output.error(`Show rules failed: ${(error as Error)?.message ?? error}`);
        void window.showErrorMessage('Podstart: the rule list is not available; see the Podstart output.');
      }
    }),
    commands.registerCommand('podstart.fixAll', async () => {
      try {
        await fixAllInActiveEditor(client);
      } catch (error) {
        output.error(`Fix all failed: ${(error as Error)?.message ?? error}`);
        void window.showErrorMessage('Podstart: fixing the file failed; see the Podstart output.');
      }
    }),
  ];
}
