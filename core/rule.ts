/**
 * What a rule is: its meta (the documentation a reader learns the domain from) and a check
 * that reports nodes. The engine turns nodes into ranges, applies severities and suppressions.
 */
import type { Node, Pair } from 'yaml';
import type { ChunkEditor } from './edits';
import type { KubernetesVersion } from './kubernetes-version';
import type { Fix, RuleMeta } from './types';
import type { ContainerRef, Workload } from './workload';

export interface RuleReport {
  /** A bad value underlines the value; a missing field points at the nearest existing key. */
  target: Node | Pair;
  message: string;
  fixes?: Fix[];
}

export interface RuleContext<Options> {
  workload: Workload;
  options: Options;
  kubernetesVersion: KubernetesVersion;
  edit: ChunkEditor;
  report(report: RuleReport): void;
}

export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  check(context: RuleContext<Options>): void;
}

/** Declares a rule with typed options; the option defaults come from its meta. */
export function defineRule<Options>(rule: Rule<Options>): Rule<Options> {
  return rule;
}

/** "container `app`", "init container `wait-db`": how messages name a container. */
export function describeContainer(container: ContainerRef): string {
  const label = { container: 'Container', initContainer: 'Init container', sidecar: 'Sidecar container', ephemeralContainer: 'Ephemeral container' }[container.kind];
  return `${label} \`${container.name}\``;
}
