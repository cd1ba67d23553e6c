/**
 * The workload model: finds the pod spec in every kind that carries one, and lists its
 * containers, so that no rule walks `spec.template.spec` by hand. Objects of other API groups
 * that share a kind name (a volcano Job, a Knative Service) are not workloads here; the batch and
 * AI operators' kinds listed in core/custom-workloads.ts are, one workload per pod template.
 */
import { isMap, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { CUSTOM_WORKLOAD_KINDS, customWorkloadKind, podTemplateSites } from './custom-workloads';
import type { ContainerCommand } from './shell-commands';
import { getMap, getPair, getSeq, getString, mapItems, resolveNode } from './yaml-nodes';

export type ContainerKind = 'container' | 'initContainer' | 'sidecar' | 'ephemeralContainer';

export interface ContainerRef {
  kind: ContainerKind;
  node: YAMLMap;
  index: number;
  name: string;
  /** The `name` key, or the container map when it has none: where missing-field findings point. */
  anchor: Node;
  /** A container without an image is a fragment (a kustomize patch): missing-field rules skip it. */
  partial: boolean;
  /** What it runs, once a rule asked (core/shell-commands.ts, containerCommand); null when it sets no command. */
  command?: ContainerCommand | null;
}

export interface Workload {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  doc: Document.Parsed;
  root: YAMLMap;
  metadata?: YAMLMap;
  podSpec: YAMLMap;
  /** The key of the pod spec (`spec`): where pod-level missing-field findings point. */
  podSpecKey: Node;
  podTemplateMetadata?: YAMLMap;
  containers: ContainerRef[];
  /** Jobs, CronJobs and Pods that never restart: they have no steady state to be Ready in. */
  runsToCompletion: boolean;
  /** For kinds with several pod templates (a PyTorchJob's Master and Worker): which one this is. */
  podTemplateRole?: string;
}

/** API group(s) allowed for each workload kind, and the path from the object to its pod spec. */
const WORKLOAD_KINDS: Record<string, { groups: string[]; path: string[] }> = {
  Pod: { groups: [''], path: ['spec'] },
  PodTemplate: { groups: [''], path: ['template', 'spec'] },
  ReplicationController: { groups: [''], path: ['spec', 'template', 'spec'] },
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  DaemonSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  StatefulSet: { groups: ['apps'], path: ['spec', 'template', 'spec'] },
  Job: { groups: ['batch'], path: ['spec', 'template', 'spec'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/** Kinds whose documents must be parsed: the workloads, and lists that may hold them. */
export const WORKLOAD_KIND_NAMES: ReadonlySet<string> = new Set([...Object.keys(WORKLOAD_KINDS), ...Object.keys(CUSTOM_WORKLOAD_KINDS), 'List']);

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Every workload in a parsed document: the document itself, or the items of a `v1 List`. */
export function findWorkloads(doc: Document.Parsed): Workload[] {
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) return [];
  if (getString(doc, root, 'kind') === 'List' && getString(doc, root, 'apiVersion') === 'v1') {
    return mapItems(doc, getSeq(doc, root, 'items')).flatMap((item) => workloadsOf(doc, item));
  }
  return workloadsOf(doc, root);
}

/** The object's workload, or one per pod template for the custom kinds. */
function workloadsOf(doc: Document.Parsed, root: YAMLMap): Workload[] {
  const workload = workloadOf(doc, root);
  if (workload) return [workload];
  const kind = getString(doc, root, 'kind');
  const apiVersion = getString(doc, root, 'apiVersion');
  const shape = kind && apiVersion ? customWorkloadKind(kind, apiGroup(apiVersion)) : undefined;
  if (!kind || !apiVersion || !shape) return [];
  return podTemplateSites(doc, root, shape).flatMap((site) => {
    const podSpecPair = getPair(site.template, 'spec');
    const podSpec = getMap(doc, site.template, 'spec');
    if (!podSpecPair || !podSpec || !isScalar(podSpecPair.key)) return [];
    const restartPolicy = getString(doc, podSpec, 'restartPolicy');
    const runsToCompletion = shape.runsToCompletion || restartPolicy === 'Never' || restartPolicy === 'OnFailure';
    return [workloadParts(doc, root, kind, apiVersion, podSpec, podSpecPair.key as Node, getMap(doc, site.template, 'metadata'), runsToCompletion, site.role)];
  });
}

export function workloadOf(doc: Document.Parsed, root: YAMLMap): Workload | undefined {
  const kind = getString(doc, root, 'kind');
  const apiVersion = getString(doc, root, 'apiVersion');
  if (!kind || !apiVersion) return undefined;
  const shape = WORKLOAD_KINDS[kind];
  if (!shape || !shape.groups.includes(apiGroup(apiVersion))) return undefined;

  let parent: YAMLMap | undefined = root;
  let podSpecPair: Pair | undefined;
  let podTemplateMetadata: YAMLMap | undefined;
  for (const key of shape.path) {
    if (key === 'spec' && parent !== root) podTemplateMetadata = getMap(doc, parent, 'metadata');
    podSpecPair = getPair(parent, key);
    parent = getMap(doc, parent, key);
    if (!parent) return undefined;
  }
  const podSpec = parent;
  if (!podSpec || !podSpecPair || !isScalar(podSpecPair.key)) return undefined;

  const runsToCompletion = kind === 'Job' || kind === 'CronJob' || (kind === 'Pod' && /^(Never|OnFailure)$/.test(getString(doc, podSpec, 'restartPolicy') ?? ''));
  return workloadParts(doc, root, kind, apiVersion, podSpec, podSpecPair.key as Node, podTemplateMetadata, runsToCompletion);
}

/** Every workload is made here, with the same fields in the same order: one object shape for the rules' property reads. */
function workloadParts(
  doc: Document.Parsed,
  root: YAMLMap,
  kind: string,
  apiVersion: string,
  podSpec: YAMLMap,
  podSpecKey: Node,
  podTemplateMetadata: YAMLMap | undefined,
  runsToCompletion: boolean,
  podTemplateRole?: string,
): Workload {
  const metadata = getMap(doc, root, 'metadata');
  return {
    kind,
    apiVersion,
    name: getString(doc, metadata, 'name') ?? getString(doc, metadata, 'generateName') ?? '(unnamed)',
    namespace: getString(doc, metadata, 'namespace'),
    doc,
    root,
    metadata,
    podSpec,
    podSpecKey,
    podTemplateMetadata,
    containers: listContainers(doc, podSpec),
    runsToCompletion,
    podTemplateRole,
  };
}

function listContainers(doc: Document.Parsed, podSpec: YAMLMap): ContainerRef[] {
  const containers: ContainerRef[] = [];
  const add = (field: string, kindOf: (node: YAMLMap) => ContainerKind) => {
    mapItems(doc, getSeq(doc, podSpec, field)).forEach((node, index) => {
      const namePair = getPair(node, 'name');
      containers.push({
        kind: kindOf(node),
        node,
        index,
        name: getString(doc, node, 'name') ?? `#${index + 1}`,
        anchor: (namePair?.key as Node | undefined) ?? node,
        partial: getPair(node, 'image') === undefined,
        command: undefined,
      });
    });
  };
  add('initContainers', (node) => (getString(doc, node, 'restartPolicy') === 'Always' ? 'sidecar' : 'initContainer'));
  add('containers', () => 'container');
  add('ephemeralContainers', () => 'ephemeralContainer');
  return containers;
}

export const CONTAINER_KIND_LABEL: Record<ContainerKind, string> = {
  container: 'container',
  initContainer: 'init container',
  sidecar: 'sidecar container',
  ephemeralContainer: 'ephemeral container',
};
