/**
 * The startup lens above each workload: `textDocument/codeLens` answers at once with one lens per
 * workload (its `kind:` line), titled already when the namespace's capture is at hand; the others
 * are titled in `codeLens/resolve`, which waits a little for a first capture and otherwise says
 * "reading". When a capture ends the server asks the editor to fetch the lenses again
 * (`workspace/codeLens/refresh`), and the titles fill in. The lens runs the waterfall command.
 */
import type { CodeLens } from 'vscode-languageserver/node';
import { SHOW_STARTUP_WATERFALL_COMMAND, type TimingsParams } from './protocol';
import { startupLensTitle } from './timings-lens-title';
import type { TimingsService } from './timings-service';
import type { TimingsView } from './timings-view';
import type { WorkloadSite } from './timings-workload-sites';

/** The waterfall command's argument for a workload (the hover's waterfall link passes the same). */
export function paramsOf(uri: string, site: Pick<WorkloadSite, 'kind' | 'name' | 'namespace'>): TimingsParams {
  const params: TimingsParams = { uri, kind: site.kind, name: site.name };
  if (site.namespace !== undefined) params.namespace = site.namespace;
  return params;
}

function titled(lens: CodeLens, params: TimingsParams, view: TimingsView): CodeLens {
  return { ...lens, command: { title: startupLensTitle(view), command: SHOW_STARTUP_WATERFALL_COMMAND, arguments: [params] } };
}

/** One lens per workload; titled where the data is already there, to be resolved otherwise. */
export async function startupLenses(service: TimingsService, uri: string, sites: readonly WorkloadSite[]): Promise<CodeLens[]> {
  if (!service.enabled) return [];
  const params = sites.map((site) => paramsOf(uri, site));
  const views = await service.views(params, 0);
  return sites.map((site, index) => {
    const lens: CodeLens = { range: site.range, data: params[index] };
    return views[index].loading ? lens : titled(lens, params[index], views[index]);
  });
}

/** Titles a lens, waiting at most `waitMs` for the first capture of its namespace. */
export async function resolveStartupLens(service: TimingsService, lens: CodeLens, waitMs: number): Promise<CodeLens> {
  const data = lens.data as Partial<TimingsParams> | undefined;
  if (!data || typeof data.uri !== 'string' || typeof data.kind !== 'string' || typeof data.name !== 'string') return lens;
  const params = paramsOf(data.uri, { kind: data.kind, name: data.name, namespace: typeof data.namespace === 'string' ? data.namespace : undefined });
  return titled(lens, params, await service.view(params, waitMs));
}
