/**
 * Opens a rule's page, bundled with the extension in docs/rules/<id>.md, in the Markdown preview.
 * Without an id (from the command palette) it offers the rules that have a page.
 */
import { commands, FileType, Uri, window, workspace, type ExtensionContext } from 'vscode';

function docsFolder(context: ExtensionContext): Uri {
  return Uri.joinPath(context.extensionUri, 'docs', 'rules');
}

async function pickRule(context: ExtensionContext): Promise<string | undefined> {
  let entries: [string, FileType][] = [];
  try {
    entries = await workspace.fs.readDirectory(docsFolder(context));
  } catch {
    // No docs folder: nothing to offer.
  }
  const ids = entries.filter(([name, type]) => type === FileType.File && name.endsWith('.md')).map(([name]) => name.slice(0, -3)).sort();
  if (ids.length === 0) {
    void window.showWarningMessage('Podstart: no rule documentation is bundled with this installation.');
    return undefined;
  }
  return window.showQuickPick(ids, { title: 'Podstart rule documentation', placeHolder: 'Rule id' });
}

export async function showRuleDoc(context: ExtensionContext, ruleId?: unknown): Promise<void> {
  const id = typeof ruleId === 'string' && /^[a-z0-9-]+$/.test(ruleId) ? ruleId : await pickRule(context);
  if (!id) return;
  const page = Uri.joinPath(docsFolder(context), `${id}.md`);
  try {
    await workspace.fs.stat(page);
  } catch {
    void window.showWarningMessage(`Podstart: there is no documentation page for ${id}.`);
    return;
  }
  try {
    await commands.executeCommand('markdown.showPreview', page);
  } catch {
    // The built-in Markdown extension is disabled: the page is still readable as text.
    await window.showTextDocument(page, { preview: true });
  }
}
