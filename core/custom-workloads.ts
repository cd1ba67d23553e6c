/**
 * Where the pod templates of workload kinds from other API groups live: the batch and AI
 * operators whose objects run pods (JobSet, LeaderWorkerSet, the Kubeflow training jobs, KubeRay).
 * Unlike a Deployment, one such object holds several pod templates (a Master and Workers, a
 * Ray head and worker groups), each of which becomes one workload of the model (core/workload.ts),
 * named by its role.
 *
 * Only kinds whose API group is listed are read: a volcano `batch.volcano.sh` Job or a Knative
 * Service stays out, as before. Kinds without a pod template of their own (Kubeflow Trainer's
 * TrainJob, which names a runtime) are not listed.
 */
import type { Document, YAMLMap } from 'yaml';
import { getMap, getPair, getSeq, getString, mapItems } from './yaml-nodes';

export interface PodTemplateSite {
  /** How messages name the template: "Worker", "workerGroupSpecs[gpu-workers]", "leaderTemplate". */
  role: string;
  /** The PodTemplateSpec (its `metadata` and `spec`). */
  template: YAMLMap;
  /** The map that holds the template and its counts: a replica spec, a worker group, a replicated job. */
  owner: YAMLMap;
}

export interface CustomWorkloadKind {
  groups: readonly string[];
  /** Pods of the kind run to completion (training jobs), rather than serve until deleted. */
  runsToCompletion: boolean;
  /** The pod templates under the object's `spec`. */
  templates(doc: Document, spec: YAMLMap): PodTemplateSite[];
}

/** Kubeflow training-operator jobs: `spec.<x>ReplicaSpecs.<Role>.template`, with `replicas` beside it. */
function replicaSpecs(field: string): CustomWorkloadKind {
  return {
    groups: ['kubeflow.org'],
    runsToCompletion: true,
    templates(doc, spec) {
      const specs = getMap(doc, spec, field);
      const sites: PodTemplateSite[] = [];
      for (const pair of specs?.items ?? []) {
        const role = String((pair.key as { value?: unknown } | null)?.value ?? '');
        const owner = getMap(doc, specs, role);
        const template = getMap(doc, owner, 'template');
        if (owner && template) sites.push({ role, template, owner });
      }
      return sites;
    },
  };
}

/** A KubeRay cluster spec: the head group and each worker group. */
function rayClusterTemplates(doc: Document, cluster: YAMLMap | undefined): PodTemplateSite[] {
  const sites: PodTemplateSite[] = [];
  const head = getMap(doc, cluster, 'headGroupSpec');
  const headTemplate = getMap(doc, head, 'template');
  if (head && headTemplate) sites.push({ role: 'headGroupSpec', template: headTemplate, owner: head });
  mapItems(doc, getSeq(doc, cluster, 'workerGroupSpecs')).forEach((group, index) => {
    const template = getMap(doc, group, 'template');
    if (template) sites.push({ role: `workerGroupSpecs[${getString(doc, group, 'groupName') ?? index}]`, template, owner: group });
  });
  return sites;
}

export const CUSTOM_WORKLOAD_KINDS: Readonly<Record<string, CustomWorkloadKind>> = {
  PyTorchJob: replicaSpecs('pytorchReplicaSpecs'),
  TFJob: replicaSpecs('tfReplicaSpecs'),
  MPIJob: replicaSpecs('mpiReplicaSpecs'),
  XGBoostJob: replicaSpecs('xgbReplicaSpecs'),
  PaddleJob: replicaSpecs('paddleReplicaSpecs'),
  JAXJob: replicaSpecs('jaxReplicaSpecs'),
  JobSet: {
    groups: ['jobset.x-k8s.io'],
    runsToCompletion: true,
    templates(doc, spec) {
      return mapItems(doc, getSeq(doc, spec, 'replicatedJobs')).flatMap((replicatedJob, index) => {
        const template = getMap(doc, getMap(doc, getMap(doc, replicatedJob, 'template'), 'spec'), 'template');
        return template ? [{ role: `replicatedJobs[${getString(doc, replicatedJob, 'name') ?? index}]`, template, owner: replicatedJob }] : [];
      });
    },
  },
  LeaderWorkerSet: {
    groups: ['leaderworkerset.x-k8s.io'],
    runsToCompletion: false,
    templates(doc, spec) {
      const group = getMap(doc, spec, 'leaderWorkerTemplate');
      if (!group) return [];
      return ['leaderTemplate', 'workerTemplate'].flatMap((role) => {
        const template = getMap(doc, group, role);
        return template ? [{ role, template, owner: group }] : [];
      });
    },
  },
  RayCluster: { groups: ['ray.io'], runsToCompletion: false, templates: (doc, spec) => rayClusterTemplates(doc, spec) },
  RayJob: { groups: ['ray.io'], runsToCompletion: true, templates: (doc, spec) => rayClusterTemplates(doc, getMap(doc, spec, 'rayClusterSpec')) },
  RayService: { groups: ['ray.io'], runsToCompletion: false, templates: (doc, spec) => rayClusterTemplates(doc, getMap(doc, spec, 'rayClusterConfig')) },
};

/** The kind's description when the object's API group is the operator's own. */
export function customWorkloadKind(kind: string, apiGroup: string): CustomWorkloadKind | undefined {
  const shape = Object.hasOwn(CUSTOM_WORKLOAD_KINDS, kind) ? CUSTOM_WORKLOAD_KINDS[kind] : undefined;
  return shape && shape.groups.includes(apiGroup) ? shape : undefined;
}

/** Pod templates of an object of a custom workload kind, each with a `spec` map. */
export function podTemplateSites(doc: Document, root: YAMLMap, shape: CustomWorkloadKind): PodTemplateSite[] {
  const spec = getMap(doc, root, 'spec');
  if (!spec) return [];
  return shape.templates(doc, spec).filter((site) => getMap(doc, site.template, 'spec') !== undefined && getPair(site.template, 'spec') !== undefined);
}
