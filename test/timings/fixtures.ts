/**
 * The timing fixtures: one directory per scenario under test/timings/fixtures/, one JSON array per
 * resource (pods.json, events.json, nodes.json, deployments.json, replicasets.json, statefulsets.json,
 * jobs.json, cronjobs.json), the objects as the API server returns them. The HTTPS test server in
 * test/support/kube-api-server serves the same files.
 *
 *   deployment-rollout  namespace shop, snapshot taken 2025-06-03T09:10:00Z: Deployment web mid-rollout
 *                       (ReplicaSets of revisions 1, 2 and 3), Deployment api, StatefulSet cache; nodes
 *                       node-a (kubelet 1.33, parallel pulls), node-b (1.35, images cached), node-c (1.33,
 *                       clock 4 s behind the control plane)
 *   batch               namespace batch, snapshot taken 2025-06-02T02:10:00Z: CronJob nightly-report with
 *                       two Jobs, Job db-migrate with a failed pod and its retry; batch-node-1 runs kubelet
 *                       1.26 (old message formats)
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Job, KubeEvent, Node, Pod, ReplicaSet, WorkloadObject } from '../../core/timings';
import { podStartups, type PodStartup } from '../../core/timings';

export interface Scenario {
  pods: Pod[];
  events: KubeEvent[];
  nodes: Node[];
  deployments: WorkloadObject[];
  replicasets: ReplicaSet[];
  statefulsets: WorkloadObject[];
  jobs: Job[];
  cronjobs: WorkloadObject[];
}

export const SNAPSHOT_TIME = {
  'deployment-rollout': Date.parse('2025-06-03T09:10:00Z'),
  batch: Date.parse('2025-06-02T02:10:00Z'),
};

export function loadScenario(name: keyof typeof SNAPSHOT_TIME): Scenario {
  const directory = path.join(__dirname, 'fixtures', name);
  const read = <T>(resource: string): T[] => {
    const file = path.join(directory, `${resource}.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T[]) : [];
  };
  return {
    pods: read('pods'),
    events: read('events'),
    nodes: read('nodes'),
    deployments: read('deployments'),
    replicasets: read('replicasets'),
    statefulsets: read('statefulsets'),
    jobs: read('jobs'),
    cronjobs: read('cronjobs'),
  };
}

/** Every pod's start in a scenario, by pod name. */
export function startupsByName(scenario: Scenario): Map<string, PodStartup> {
  return new Map(podStartups(scenario).map((startup) => [startup.name, startup]));
}

/** Epoch ms of a time of day on the scenario's date. */
export const at = (date: string) => (time: string) => Date.parse(`${date}T${time}Z`);
