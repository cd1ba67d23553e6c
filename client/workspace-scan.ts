/**
 * The client's part of the workspace scan (server/workspace-scan.ts): answers the server's
 * `podstart/workspaceFiles` with the editor's own file search, which applies `files.exclude` (an
 * `exclude` glob given to `findFiles` adds to it; only `null` would drop it). The server decides
 * which of those files it reads.
 */
import { workspace, type Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WORKSPACE_FILES_REQUEST, type WorkspaceFilesParams, type WorkspaceFilesResult } from '../server/protocol';

export function registerWorkspaceFileLister(client: LanguageClient): Disposable {
  return client.onRequest(WORKSPACE_FILES_REQUEST, async ({ include, exclude }: WorkspaceFilesParams, token): Promise<WorkspaceFilesResult> => {
    const found = await workspace.findFiles(include, exclude, undefined, token);
    return { uris: found.map((uri) => uri.toString()) };
  });
}
