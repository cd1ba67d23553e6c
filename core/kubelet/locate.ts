/**
 * Finds every kubelet configuration in a parsed YAML (or JSON) document, wherever users keep it:
 * - `KubeletConfiguration` (kubelet.config.k8s.io): standalone, or a document of a kubeadm file;
 * - kubeadm `InitConfiguration` / `JoinConfiguration`: `nodeRegistration.kubeletExtraArgs`;
 * - kind `Cluster`: `kubeadmConfigPatches` strings, at the top and per node, parsed as YAML
 *   themselves (a KubeletConfiguration patch, or kubeadm configurations with kubeletExtraArgs);
 * - Cluster API `KubeadmConfig`, `KubeadmConfigTemplate`, `KubeadmControlPlane`,
 *   `KubeadmControlPlaneTemplate`: `kubeletExtraArgs` of their init and join configurations;
 * - EKS nodeadm `NodeConfig`: `spec.kubelet.config` and `spec.kubelet.flags`.
 */
import { isMap, isScalar, type Document, type Node, type YAMLMap } from 'yaml';
import { ChunkEditor } from '../edits';
import type { TextEdit } from '../types';
import { getMap, getPair, getSeq, getString, resolveNode } from '../yaml-nodes';
import { parseEmbeddedYaml } from './embedded-yaml';
import { flagConfigView, isFlagCollection } from './flag-config-view';
import type { FileSpan, KubeletConfigView } from './model';
import { yamlConfigView, type YamlConfigSource } from './yaml-config-view';

/** Kinds that can carry kubelet configuration: the documents worth parsing for it. */
export const KUBELET_CARRIER_KINDS: ReadonlySet<string> = new Set([
  'KubeletConfiguration',
  'InitConfiguration',
  'JoinConfiguration',
  'Cluster',
  'KubeadmConfig',
  'KubeadmConfigTemplate',
  'KubeadmControlPlane',
  'KubeadmControlPlaneTemplate',
  'NodeConfig',
]);

/** A problem in YAML embedded in a string (a kind patch that does not parse), at file offsets. */
export interface EmbeddedProblem {
  message: string;
  start: number;
  end: number;
}

export interface KubeletConfigsFound {
  configs: KubeletConfigView[];
  problems: EmbeddedProblem[];
}

/** Where a document's nodes sit in the file and how its edits get there. */
type Placement = Omit<YamlConfigSource, 'doc' | 'map'>;

/**
 * A kubelet drop-in file (the `--config-dir` folder, by convention `kubelet.conf.d/`, or a file
 * named as one): a partial configuration merged over the main one, so its unset fields say nothing.
 */
const DROP_IN_PATH = /drop-?in|\.conf\.d[\\/][^\\/]*$/i;

export function findKubeletConfigs(doc: Document, fileText: string, chunkStart: number, fileName?: string): KubeletConfigsFound {
  const found: KubeletConfigsFound = { configs: [], problems: [] };
  const placement: Placement = { editor: new ChunkEditor(fileText, chunkStart), toFile: (offset) => chunkStart + offset, toFileEdit: (edit) => edit };
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) return found;
  const kind = getString(doc, root, 'kind') ?? '';
  const apiVersion = getString(doc, root, 'apiVersion') ?? '';
  const object = { kind, name: getString(doc, getMap(doc, root, 'metadata'), 'name') ?? '' };
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';

  const flagsAt = (container: YAMLMap | undefined, label: string, form: 'kubeadm-flags' | 'cluster-api-flags') => {
    const view = kubeletExtraArgs(doc, container, placement, { form, label, object });
    if (view) found.configs.push(view);
  };

  if (kind === 'KubeletConfiguration' && group === 'kubelet.config.k8s.io') {
    const anchor = spanOf(getPair(root, 'kind')!.value as Node, placement);
    const dropIn = fileName !== undefined && DROP_IN_PATH.test(fileName);
    const label = dropIn ? 'this KubeletConfiguration drop-in' : 'this KubeletConfiguration';
    if (anchor) found.configs.push(yamlConfigView({ form: 'kubelet-configuration', complete: !dropIn, label, object, anchor }, { doc, map: root, ...placement }));
  } else if ((kind === 'InitConfiguration' || kind === 'JoinConfiguration') && group === 'kubeadm.k8s.io') {
    flagsAt(root, `the kubeletExtraArgs of this ${kind}`, 'kubeadm-flags');
  } else if (kind === 'Cluster' && group === 'kind.x-k8s.io') {
    const patchLists = [getSeq(doc, root, 'kubeadmConfigPatches'), ...(getSeq(doc, root, 'nodes')?.items ?? []).map((node) => getSeq(doc, resolveNode(doc, node) as YAMLMap, 'kubeadmConfigPatches'))];
    for (const list of patchLists) {
      for (const item of list?.items ?? []) readKindPatch(doc, resolveNode(doc, item), fileText, chunkStart, object, found);
    }
  } else if (group === 'bootstrap.cluster.x-k8s.io' || group === 'controlplane.cluster.x-k8s.io') {
    const spec = clusterApiKubeadmSpec(doc, root, kind);
    for (const configuration of ['initConfiguration', 'joinConfiguration']) {
      flagsAt(getMap(doc, spec, configuration), `the kubeletExtraArgs of this ${kind}'s ${configuration}`, 'cluster-api-flags');
    }
  } else if (kind === 'NodeConfig' && group === 'node.eks.aws') {
    const kubelet = getMap(doc, getMap(doc, root, 'spec'), 'kubelet');
    const flagsPair = getPair(kubelet, 'flags');
    const flags = resolveNode(doc, flagsPair?.value);
    const flagsAnchor = flagsPair && spanOf(flagsPair.key as Node, placement);
    const flagsView = isFlagCollection(flags) && flagsAnchor ? flagConfigView({ form: 'nodeadm-flags', label: "this NodeConfig's kubelet flags", object, anchor: flagsAnchor }, { doc, ...placement }, flags) : undefined;
    const configPair = getPair(kubelet, 'config');
    const config = resolveNode(doc, configPair?.value);
    const configAnchor = configPair && spanOf(configPair.key as Node, placement);
    if (isMap(config) && configAnchor) {
      const configView = yamlConfigView({ form: 'nodeadm-config', complete: false, label: "this NodeConfig's kubelet config", object, anchor: configAnchor }, { doc, map: config, ...placement });
      // The node's kubelet gets both: a gate enabled with --feature-gates applies to the config's fields too.
      found.configs.push(flagsView ? { ...configView, featureGate: (name) => configView.featureGate(name) ?? flagsView.featureGate(name) } : configView);
    }
    if (flagsView) found.configs.push(flagsView);
  }
  return found;
}

/** The KubeadmConfigSpec inside each Cluster API kind. */
function clusterApiKubeadmSpec(doc: Document, root: YAMLMap, kind: string): YAMLMap | undefined {
  const spec = getMap(doc, root, 'spec');
  switch (kind) {
    case 'KubeadmConfig':
      return spec;
    case 'KubeadmConfigTemplate':
      return getMap(doc, getMap(doc, spec, 'template'), 'spec');
    case 'KubeadmControlPlane':
      return getMap(doc, spec, 'kubeadmConfigSpec');
    case 'KubeadmControlPlaneTemplate':
      return getMap(doc, getMap(doc, getMap(doc, spec, 'template'), 'spec'), 'kubeadmConfigSpec');
    default:
      return undefined;
  }
}

/** One kind `kubeadmConfigPatches` entry: a YAML document in a string, read with its ranges mapped into the file. */
function readKindPatch(doc: Document, item: Node | undefined, fileText: string, chunkStart: number, object: { kind: string; name: string }, found: KubeletConfigsFound): void {
  if (!isScalar(item) || typeof item.value !== 'string') return;
  const embedded = parseEmbeddedYaml(fileText, chunkStart, item);
  if (!embedded) return;
  if (embedded.doc.errors.length > 0) {
    const error = embedded.doc.errors[0];
    found.problems.push({ message: `Invalid YAML in this kubeadmConfigPatches entry: ${error.message.split('\n')[0]}. kind fails to create the cluster with it.`, start: embedded.toFile(error.pos[0]), end: Math.max(embedded.toFile(error.pos[1]), embedded.toFile(error.pos[0]) + 1) });
    return;
  }
  const root = resolveNode(embedded.doc, embedded.doc.contents);
  if (!isMap(root)) return;
  const patchKind = getString(embedded.doc, root, 'kind');
  const placement: Placement = {
    editor: new ChunkEditor(embedded.text, 0),
    toFile: embedded.toFile,
    toFileEdit: (edit: TextEdit) => embedded.toFileEdit(edit),
  };
  if (patchKind === 'KubeletConfiguration') {
    const anchor = spanOf(getPair(root, 'kind')!.value as Node, placement);
    if (anchor) found.configs.push(yamlConfigView({ form: 'kind-patch', complete: false, label: 'this kind patch of the KubeletConfiguration', object, anchor }, { doc: embedded.doc, map: root, ...placement }));
  } else if (patchKind === 'InitConfiguration' || patchKind === 'JoinConfiguration') {
    const view = kubeletExtraArgs(embedded.doc, root, placement, { form: 'kubeadm-flags', label: `the kubeletExtraArgs of this kind patch of the ${patchKind}`, object });
    if (view) found.configs.push(view);
  }
}

/** `nodeRegistration.kubeletExtraArgs` of a kubeadm init or join configuration, as a view. */
function kubeletExtraArgs(doc: Document, configuration: YAMLMap | undefined, placement: Placement, identity: Pick<KubeletConfigView, 'form' | 'label' | 'object'>): KubeletConfigView | undefined {
  const pair = getPair(getMap(doc, configuration, 'nodeRegistration'), 'kubeletExtraArgs');
  const flags = resolveNode(doc, pair?.value);
  const anchor = pair && spanOf(pair.key as Node, placement);
  return isFlagCollection(flags) && anchor ? flagConfigView({ ...identity, anchor }, { doc, ...placement }, flags) : undefined;
}

function spanOf(node: Node | null | undefined, placement: Placement): FileSpan | undefined {
  if (!node?.range) return undefined;
  return { start: placement.toFile(node.range[0]), end: placement.toFile(Math.max(node.range[1], node.range[0] + 1)) };
}
