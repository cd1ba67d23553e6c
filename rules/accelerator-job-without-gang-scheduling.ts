import type { Document, Node, YAMLMap } from 'yaml';
import { containerAccelerators, type ResourceEntry } from '../core/accelerators';
import { customWorkloadKind, podTemplateSites, type PodTemplateSite } from '../core/custom-workloads';
import { defineRule } from '../core/rule';
import { commandStatements, commandSubstitutions, containerCommand, splitStatements } from '../core/shell-commands';
import type { Workload } from '../core/workload';
import { getMap, getNode, getNumber, getPair, getSeq, getString, mapItems } from '../core/yaml-nodes';

/**
 * Several pods with accelerators that only work together (a distributed training job, a
 * multi-host inference group), scheduled by the default scheduler, which places pods one at a
 * time. When the cluster has room for some of them, those start, take their GPUs and wait at the
 * rendezvous for the others, which stay Pending: the job makes no progress while holding devices,
 * and two such jobs can each hold part of the cluster and wait for each other forever. A gang
 * (all-or-nothing) scheduler places all of them or none.
 *
 * Which workloads are one job: JobSet, LeaderWorkerSet (each leader-and-workers group), the
 * Kubeflow training jobs and KubeRay's RayCluster and RayJob are by construction; a Job with
 * several pods, or a StatefulSet or Deployment with several replicas, only when the pods show
 * that they rendezvous (MASTER_ADDR, WORLD_SIZE, torchrun --nnodes, an Indexed Job with a
 * subdomain...). A Deployment of independent inference replicas is not one job, nor a RayService.
 *
 * Gang support the rule recognises: any scheduler other than the default one (volcano,
 * kai-scheduler, yunikorn, coscheduling's scheduler-plugins; an unknown custom scheduler is given
 * the benefit of the doubt), Kueue's queue label, coscheduling PodGroup labels, volcano, YuniKorn,
 * KAI and Koordinator group labels and annotations, the pod's `schedulingGroup` / `workloadRef`
 * (Kubernetes' own workload-aware scheduling), the Kubeflow `runPolicy.schedulingPolicy`, and
 * KubeRay's `ray.io/scheduler-name` label.
 */

/** Labels and annotations that put pods in a gang or in a queue that admits whole workloads. */
const GANG_KEYS = [
  'kueue.x-k8s.io/queue-name',
  'kueue.x-k8s.io/pod-group-name',
  'scheduling.x-k8s.io/pod-group',
  'pod-group.scheduling.sigs.k8s.io',
  'pod-group.scheduling.sigs.k8s.io/name',
  'scheduling.k8s.io/group-name',
  'scheduling.volcano.sh/queue-name',
  'volcano.sh/queue-name',
  'kai.scheduler/queue',
  'yunikorn.apache.org/task-group-name',
  'yunikorn.apache.org/task-groups',
  'gang.scheduling.koordinator.sh/name',
  'ray.io/scheduler-name',
  'ray.io/gang-scheduling-enabled',
];

/** Environment variables of processes that rendezvous with their peers. */
const RENDEZVOUS_ENV = new Set([
  'MASTER_ADDR',
  'WORLD_SIZE',
  'NODE_RANK',
  'RANK',
  'PET_NNODES',
  'JAX_COORDINATOR_ADDRESS',
  'COORDINATOR_ADDRESS',
  'TPU_WORKER_HOSTNAMES',
  'MEGASCALE_COORDINATOR_ADDRESS',
  'LWS_LEADER_ADDRESS',
]);

interface Gang {
  /** Pods that must all run: the whole job, or one leader-and-workers group. */
  pods: number;
  /** How many of them ask for accelerator devices. */
  accelerated: number;
  /** Where the count is written: a replicas, parallelism or size value. */
  target: Node;
  /** "16 pods", "groups of 5 pods (a leader and 4 workers)", for the message. */
  shape: string;
  /** What makes them one job, for the message. */
  why: string;
  accelerator: ResourceEntry;
}

function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** The first device accelerator any container of a pod spec asks for. */
function podSpecAccelerator(doc: Document, podSpec: YAMLMap | undefined): ResourceEntry | undefined {
  for (const field of ['initContainers', 'containers']) {
    for (const container of mapItems(doc, getSeq(doc, podSpec, field))) {
      const [first] = containerAccelerators(doc, container).values();
      if (first) return first;
    }
  }
  return undefined;
}

function hasGangKey(doc: Document, metadata: YAMLMap | undefined): boolean {
  return ['labels', 'annotations'].some((field) => {
    const map = getMap(doc, metadata, field);
    return GANG_KEYS.some((key) => getPair(map, key) !== undefined);
  });
}

/** The pods' own sign of gang scheduling: a gang-capable scheduler or group membership. */
function podTemplateHasGang(doc: Document, metadata: YAMLMap | undefined, podSpec: YAMLMap | undefined): boolean {
  const scheduler = getString(doc, podSpec, 'schedulerName');
  if (scheduler !== undefined && scheduler !== 'default-scheduler') return true;
  if (getPair(podSpec, 'schedulingGroup') || getPair(podSpec, 'workloadRef')) return true;
  return hasGangKey(doc, metadata);
}

/** What shows that a built-in workload's pods rendezvous with each other, if anything. */
function rendezvousSignal(workload: Workload): string | undefined {
  const { doc } = workload;
  for (const container of workload.containers) {
    for (const variable of mapItems(doc, getSeq(doc, container.node, 'env'))) {
      const name = getString(doc, variable, 'name');
      if (name && RENDEZVOUS_ENV.has(name)) return `the \`${name}\` variable`;
    }
    const command = containerCommand(doc, container);
    if (!command) continue;
    const scripts = [commandStatements(command), ...commandSubstitutions(command.script).map(splitStatements)];
    for (const statements of scripts) {
      for (const statement of statements) {
        const found = launcherSignal(statement.words);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * `torchrun --nnodes=4`, `python -m torch.distributed.run --nnodes 2`, `deepspeed --hostfile`, `mpirun -H`,
 * `jax.distributed.initialize`. An elastic `--nnodes=1:4` can start on one node, so it needs no gang.
 */
function launcherSignal(words: readonly string[]): string | undefined {
  const text = words.join(' ');
  const nnodes = /--nnodes[= ]+(\S+)/.exec(text)?.[1];
  if (/\btorchrun\b|torch\.distributed\.(run|launch)/.test(text) && (nnodes !== undefined ? !/^1(:\d+)?$/.test(nnodes) : /--rdzv[_-]endpoint/.test(text))) {
    return `\`torchrun ${nnodes !== undefined ? `--nnodes ${nnodes}` : '--rdzv-endpoint'}\``;
  }
  if (/\bdeepspeed\b/.test(text) && /--(hostfile|num_nodes)\b/.test(text)) return '`deepspeed --hostfile`';
  if (/\b(mpirun|horovodrun)\b/.test(text) && /(\s-H\s|--host(file)?\b)/.test(` ${text} `)) return '`mpirun` across hosts';
  if (/\baccelerate launch\b/.test(text) && /--num_machines[= ]+([2-9]|\d\d)/.test(text)) return '`accelerate launch --num_machines`';
  if (/jax\.distributed\.initialize/.test(text)) return '`jax.distributed.initialize`';
  return undefined;
}

/**
 * A built-in workload whose replicas or parallel pods form one job. The cheap questions come first
 * (every Deployment of a manifest is asked; few have two replicas and accelerators).
 */
function builtInGang(workload: Workload): Gang | undefined {
  const { doc, root, kind } = workload;
  if (['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].includes(kind)) {
    const spec = getMap(doc, root, 'spec');
    const replicas = getNumber(doc, spec, 'replicas') ?? 1;
    const target = getNode(doc, spec, 'replicas');
    if (replicas < 2 || !target) return undefined;
    const accelerator = podSpecAccelerator(doc, workload.podSpec);
    if (!accelerator) return undefined;
    const why = rendezvousSignal(workload);
    if (!why) return undefined;
    return { pods: replicas, accelerated: replicas, target, shape: `${replicas} replicas`, why: `their containers rendezvous through ${why}`, accelerator };
  }
  if (kind === 'Job' || kind === 'CronJob') {
    const jobSpec = kind === 'Job' ? getMap(doc, root, 'spec') : getMap(doc, getMap(doc, getMap(doc, root, 'spec'), 'jobTemplate'), 'spec');
    const parallelism = getNumber(doc, jobSpec, 'parallelism') ?? 1;
    const completions = getNumber(doc, jobSpec, 'completions');
    const pods = completions === undefined ? parallelism : Math.min(parallelism, completions);
    const target = getNode(doc, jobSpec, 'parallelism');
    if (pods < 2 || !target) return undefined;
    const accelerator = podSpecAccelerator(doc, workload.podSpec);
    if (!accelerator) return undefined;
    const signal = rendezvousSignal(workload);
    const indexedPeers = getString(doc, jobSpec, 'completionMode') === 'Indexed' && getString(doc, workload.podSpec, 'subdomain') !== undefined;
    if (!signal && !indexedPeers) return undefined;
    const why = signal ? `their containers rendezvous through ${signal}` : 'it is an Indexed Job whose pods address each other through a subdomain';
    return { pods, accelerated: pods, target, shape: `${pods} pods in parallel`, why, accelerator };
  }
  return undefined;
}

function count(doc: Document, map: YAMLMap | undefined, key: string, fallback: number): number {
  return getNumber(doc, map, key) ?? fallback;
}

/** An operator's object, read as a whole from its first pod template's workload. */
function customGang(workload: Workload, sites: PodTemplateSite[]): Gang | undefined {
  const { doc, root, kind } = workload;
  const spec = getMap(doc, root, 'spec');
  const accelerated = sites.map((site) => ({ site, accelerator: podSpecAccelerator(doc, getMap(doc, site.template, 'spec')) }));
  const first = accelerated.find((entry) => entry.accelerator);
  if (!first?.accelerator) return undefined;
  const targetOr = (map: YAMLMap | undefined, keys: string[]): Node | undefined => keys.map((key) => getNode(doc, map, key)).find((node) => node !== undefined);

  if (kind === 'LeaderWorkerSet') {
    const group = getMap(doc, spec, 'leaderWorkerTemplate');
    const size = count(doc, group, 'size', 1);
    const worker = accelerated.find((entry) => entry.site.role === 'workerTemplate');
    // Without a leaderTemplate, the leader is created from the workerTemplate.
    const leader = accelerated.find((entry) => entry.site.role === 'leaderTemplate') ?? worker;
    const acceleratedPods = (leader?.accelerator ? 1 : 0) + (worker?.accelerator ? size - 1 : 0);
    const target = getNode(doc, group, 'size');
    if (acceleratedPods < 2 || !target) return undefined;
    return { pods: size, accelerated: acceleratedPods, target, shape: `groups of ${size} pods (a leader and ${size - 1} worker${size > 2 ? 's' : ''})`, why: 'each group serves one model across its pods', accelerator: first.accelerator };
  }

  let pods = 0;
  let acceleratedPods = 0;
  let largest = 0;
  let target: Node | undefined;
  for (const { site, accelerator } of accelerated) {
    let sitePods: number;
    let siteTarget: Node | undefined;
    if (kind === 'JobSet') {
      const jobSpec = getMap(doc, getMap(doc, site.owner, 'template'), 'spec');
      const parallelism = count(doc, jobSpec, 'parallelism', 1);
      const completions = getNumber(doc, jobSpec, 'completions');
      sitePods = count(doc, site.owner, 'replicas', 1) * (completions === undefined ? parallelism : Math.min(parallelism, completions));
      siteTarget = targetOr(site.owner, ['replicas']) ?? targetOr(jobSpec, ['parallelism']);
    } else if (kind === 'RayCluster' || kind === 'RayJob') {
      const isHead = site.role === 'headGroupSpec';
      sitePods = isHead ? 1 : (getNumber(doc, site.owner, 'replicas') ?? getNumber(doc, site.owner, 'minReplicas') ?? 0) * count(doc, site.owner, 'numOfHosts', 1);
      siteTarget = isHead ? undefined : targetOr(site.owner, ['replicas', 'minReplicas']);
    } else {
      sitePods = count(doc, site.owner, 'replicas', 1);
      siteTarget = targetOr(site.owner, ['replicas']);
    }
    pods += sitePods;
    if (!accelerator) continue;
    acceleratedPods += sitePods;
    // Point at the count of the largest accelerated template (the Workers, not the one Master).
    if (siteTarget && sitePods > largest) {
      largest = sitePods;
      target = siteTarget;
    }
  }
  if (acceleratedPods < 2 || !target) return undefined;
  const why = kind === 'JobSet' ? 'a JobSet runs its jobs as one workload' : kind.startsWith('Ray') ? 'the Ray cluster runs its tasks across them' : kind === 'MPIJob' ? 'an MPIJob runs one MPI program across its workers' : `a ${kind} trains across all its replicas`;
  return { pods, accelerated: acceleratedPods, target, shape: `${pods} pods`, why, accelerator: first.accelerator };
}

/** Gang support anywhere in the object: its own labels, its pod templates, the operator's gang settings. */
function objectHasGang(workload: Workload, sites: PodTemplateSite[] | undefined): boolean {
  const { doc, root } = workload;
  if (hasGangKey(doc, workload.metadata)) return true;
  if (getMap(doc, getMap(doc, getMap(doc, root, 'spec'), 'runPolicy'), 'schedulingPolicy')) return true;
  if (!sites) return podTemplateHasGang(doc, workload.podTemplateMetadata, workload.podSpec);
  return sites.some((site) => podTemplateHasGang(doc, getMap(doc, site.template, 'metadata'), getMap(doc, site.template, 'spec')));
}

export default defineRule({
  meta: {
    id: 'accelerator-job-without-gang-scheduling',
    stage: 'scheduling',
    defaultSeverity: 'warning',
    description: 'Pods with GPUs or other accelerators that only work together (a distributed training job, a multi-host inference group) with no gang scheduling.',
    startupCost:
      'The default scheduler places pods one at a time: of a 4-pod training job, 3 can start and hold their GPUs while the 4th waits Pending for a node, for minutes, hours, or forever when two such jobs each hold part of the cluster and wait for each other. A gang scheduler starts all of them together or none.',
    fixable: false,
    options: {},
  },
  check({ workload, report }) {
    const { doc, kind } = workload;
    const shape = workload.podTemplateRole !== undefined ? customWorkloadKind(kind, apiGroup(workload.apiVersion)) : undefined;
    // RayService replicas serve independently, like a Deployment of inference servers.
    if (kind === 'RayService') return;
    let sites: PodTemplateSite[] | undefined;
    let gang: Gang | undefined;
    if (shape) {
      sites = podTemplateSites(doc, workload.root, shape);
      // The object is judged once, from its first pod template.
      if (sites[0]?.role !== workload.podTemplateRole) return;
      gang = customGang(workload, sites);
    } else {
      gang = builtInGang(workload);
    }
    if (!gang || objectHasGang(workload, sites)) return;
    const withDevices = gang.accelerated === gang.pods ? ` with \`${gang.accelerator.name}\`` : `, ${gang.accelerated} of them with \`${gang.accelerator.name}\`,`;
    report({
      target: gang.target,
      message: `${kind} \`${workload.name}\` runs ${gang.shape}${withDevices} that only work together (${gang.why}), and nothing schedules them as a gang: the default scheduler places pods one at a time, so some can start and hold their devices while the rest wait Pending, and two such workloads can block each other forever. Schedule them all-or-nothing (Kueue's \`kueue.x-k8s.io/queue-name\` label, volcano or kai-scheduler, a coscheduling PodGroup) so that all ${gang.pods} start together or none does.`,
    });
  },
});
