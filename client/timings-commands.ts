/**
 * The startup timings commands: the waterfall (what the lens runs; from the palette, for a workload
 * of the active file), a refresh of the timings, and a cluster context picker that writes
 * `podstart.cluster.context` to the user's settings (the context decides whose credentials are used,
 * so it is never written to a workspace's settings).
 */
import { commands, ConfigurationTarget, ProgressLocation, window, workspace, type CodeLens, type Disposable, type LogOutputChannel, type QuickPickItem } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CLUSTER_CONTEXTS_REQUEST,
  REFRESH_TIMINGS_REQUEST,
  SETTINGS_SECTION,
  SHOW_STARTUP_WATERFALL_COMMAND,
  type ClusterContextsResult,
  type RefreshTimingsResult,
  type TimingsParams,
} from '../server/protocol';
import { WaterfallPanels } from './waterfall/waterfall-panel';

export const REFRESH_TIMINGS_COMMAND = 'podstart.refreshTimings';
export const SELECT_CLUSTER_CONTEXT_COMMAND = 'podstart.selectClusterContext';

function isTimingsParams(value: unknown): value is TimingsParams {
  const params = value as Partial<TimingsParams> | undefined;
  return typeof params?.uri === 'string' && typeof params.kind === 'string' && typeof params.name === 'string' && (params.namespace === undefined || typeof params.namespace === 'string');
}

/** The workloads of the active file that have a startup lens, with the lens's title. */
async function workloadsOfActiveEditor(): Promise<Array<{ params: TimingsParams; title: string }>> {
  const document = window.activeTextEditor?.document;
  if (!document) return [];
  const lenses = (await commands.executeCommand<CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
  return lenses.flatMap((lens) => (lens.command?.command === SHOW_STARTUP_WATERFALL_COMMAND && isTimingsParams(lens.command.arguments?.[0]) ? [{ params: lens.command.arguments[0] as TimingsParams, title: lens.command.title }] : []));
}

async function pickWorkload(): Promise<TimingsParams | undefined> {
  const workloads = await workloadsOfActiveEditor();
  if (workloads.length === 0) {
    void window.showInformationMessage('Podstart: open a manifest with a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod to see its startup waterfall.');
    return undefined;
  }
  if (workloads.length === 1) return workloads[0].params;
  const picked = await window.showQuickPick(
    workloads.map((workload) => ({ label: `${workload.params.kind} ${workload.params.name}`, description: workload.params.namespace, detail: workload.title, params: workload.params })),
    { title: 'Podstart: startup waterfall of', placeHolder: 'Workload' },
  );
  return picked?.params;
}

async function selectClusterContext(client: LanguageClient): Promise<void> {
  const answer = await client.sendRequest<ClusterContextsResult>(CLUSTER_CONTEXTS_REQUEST);
  if (answer.error) {
    void window.showInformationMessage(`Podstart: ${answer.error}`);
    return;
  }
  if (answer.contexts.length === 0) {
    void window.showInformationMessage(`Podstart: the kubeconfig (${answer.files.join(', ')}) defines no context.`);
    return;
  }
  type Item = QuickPickItem & { value: string | undefined };
  const chosen = answer.selected;
  const items: Item[] = [
    { label: `Kubeconfig's current context${answer.current ? ` (${answer.current})` : ''}`, description: chosen ? undefined : 'in use', value: undefined },
    ...answer.contexts.map((context) => ({
      label: context.name,
      description: [context.name === chosen ? 'in use' : '', context.namespace ? `namespace ${context.namespace}` : '', context.cluster ? `cluster ${context.cluster}` : ''].filter(Boolean).join(' · '),
      value: context.name,
    })),
  ];
  const picked = await window.showQuickPick(items, { title: 'Podstart: cluster context for startup timings', placeHolder: `From ${answer.files.join(', ')}` });
  if (!picked) return;
  // User settings only: a workspace must not choose whose credentials are used.
  await workspace.getConfiguration(SETTINGS_SECTION).update('cluster.context', picked.value, ConfigurationTarget.Global);
}

export function registerTimingsCommands(client: LanguageClient, output: LogOutputChannel): Disposable[] {
  const panels = new WaterfallPanels(client, output);
  const failed = (what: string) => (error: unknown) => {
    output.error(`${what} failed: ${(error as Error)?.message ?? error}`);
    void window.showErrorMessage(`Podstart: ${what.toLowerCase()} failed; see the Podstart output.`);
  };
  return [
    panels,
    commands.registerCommand(SHOW_STARTUP_WATERFALL_COMMAND, async (params?: unknown) => {
      try {
        const workload = isTimingsParams(params) ? params : await pickWorkload();
        if (workload) await panels.show(workload);
      } catch (error) {
        failed('Showing the startup waterfall')(error);
      }
    }),
    commands.registerCommand(REFRESH_TIMINGS_COMMAND, async () => {
      try {
        const result = await window.withProgress({ location: ProgressLocation.Window, title: 'Podstart: reading startup timings' }, () => client.sendRequest<RefreshTimingsResult>(REFRESH_TIMINGS_REQUEST));
        void window.setStatusBarMessage(`Podstart: startup timings read again (${result.refreshed} namespace${result.refreshed === 1 ? '' : 's'}).`, 3000);
        await panels.refreshAll();
      } catch (error) {
        failed('Refreshing the startup timings')(error);
      }
    }),
    commands.registerCommand(SELECT_CLUSTER_CONTEXT_COMMAND, async () => {
      try {
        await selectClusterContext(client);
      } catch (error) {
        failed('Selecting a cluster context')(error);
      }
    }),
  ];
}
