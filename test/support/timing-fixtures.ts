/**
 * The timing fixtures (test/timings/fixtures) as the HTTPS test server loads them: a scenario's
 * objects by resource, and the kubelet answers (/configz, /metrics) of the deployment-rollout nodes.
 * Shared by the CLI and language-server tests that run against the test server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readFixtureFile, type KubeObject } from './kube-api-server';

const FIXTURES = path.join(__dirname, '..', 'timings', 'fixtures');
const KUBELETS = path.join(FIXTURES, 'deployment-rollout', 'kubelets');

/** The objects of a scenario's resource files (`pods`, `events`, …). */
export function fixtureObjects(scenario: string, resources: string[]): KubeObject[] {
  return resources.flatMap((resource) => readFixtureFile(path.join(FIXTURES, scenario, `${resource}.json`)));
}

/** A deployment-rollout node's kubelet: its configz, and its metrics when it serves them. */
export function kubeletFixture(node: string, metrics: boolean): { configz: Record<string, unknown>; metrics?: string } {
  return {
    configz: JSON.parse(readFileSync(path.join(KUBELETS, `${node}.configz.json`), 'utf8')) as Record<string, unknown>,
    ...(metrics ? { metrics: readFileSync(path.join(KUBELETS, `${node}.metrics.txt`), 'utf8') } : {}),
  };
}

/** The fields of a fixture pod's status the tests change (as the fixtures write them). */
export type PodStatus = Record<string, any>;

/** web-7f9c6d5b8-zr4tq (created 09:05:00, running, its readiness probe failing) turns Ready at `readyAt`. */
export function turnsReady(pod: KubeObject, readyAt: string): KubeObject {
  const changed = structuredClone(pod) as KubeObject & { status: PodStatus };
  for (const condition of changed.status.conditions) {
    if (condition.type === 'Ready' || condition.type === 'ContainersReady') {
      condition.status = 'True';
      condition.lastTransitionTime = readyAt;
      delete condition.reason;
      delete condition.message;
    }
  }
  changed.status.containerStatuses[0].ready = true;
  return changed;
}
