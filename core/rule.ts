/**
 * What a rule is: its meta (the documentation a reader learns the domain from) and a check
 * that reports what it finds. The engine turns reports into ranges, applies severities and
 * suppressions.
 *
 * Three kinds share one catalog (rules/index.ts), told apart by `meta.target`:
 * - manifest rules (the default) see one workload at a time and report YAML nodes;
 * - Dockerfile rules (`defineDockerfileRule`) see one parsed Dockerfile, its build stages and
 *   its ARGs (core/dockerfile/model.ts), and report file spans;
 * - kubelet rules (`defineKubeletRule`) see one kubelet configuration, in whichever form it is
 *   written (core/kubelet/model.ts), and report file spans.
 */
import type { Node, Pair } from 'yaml';
import type { DefinedObjects } from './defined-objects';
import type { BuildContextFacts } from './dockerfile/build-context';
import type { DockerfileEditor } from './dockerfile/editor';
import type { DockerfileModel, Span } from './dockerfile/model';
import type { ChunkEditor } from './edits';
import type { ImageFactsLookup } from './image-facts';
import type { KubernetesVersion } from './kubernetes-version';
import type { FileSpan, KubeletConfigView } from './kubelet/model';
import type { Fix, RuleMeta, RuleTarget, Severity } from './types';
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
  /** What the registry says about an image reference as written; undefined when registry access is off or not known yet (core/image-facts.ts). */
  imageFacts: ImageFactsLookup;
  /** The objects the workspace defines that pod specs name: DRA claims, templates and classes (core/defined-objects.ts). */
  definedObjects: DefinedObjects;
  edit: ChunkEditor;
  report(report: RuleReport): void;
}

export interface ManifestRule<Options = Record<string, unknown>> {
  meta: RuleMeta & { target?: 'manifest' };
  check(context: RuleContext<Options>): void;
}

export interface DockerfileRuleReport {
  /** The text at fault: an image reference, a flag, a word of a RUN command; never the whole file. */
  target: Span;
  message: string;
  fixes?: Fix[];
}

/**
 * What a Dockerfile rule receives. Adding one: `rules/dockerfile-<what>.ts` exporting
 * `defineDockerfileRule({ meta, check })`, registered in rules/index.ts; a page
 * docs/rules/dockerfile-<what>.md whose Bad and Good examples are ```dockerfile blocks; fixtures
 * `runRuleTests(id, { fileName: 'Dockerfile', valid, invalid })`. In `check`, walk
 * `dockerfile.stages` (`isFinal`, `inFinalImage` for stage awareness, `base` for the resolved
 * image) and each stage's `instructions` (`keyword`, `span`, and `node`, the dockerfile-ast
 * instruction: `getArguments()`, `getFlags()` on RUN/COPY/ADD, `getRawArgumentsContent()`);
 * `dockerfile.spanOf(range)` turns a dockerfile-ast range into the span to report, and `edit`
 * makes the fixes. Facts from outside the text arrive as data the front end supplies (`imageFacts`,
 * `buildContext`), never as I/O in a rule.
 */
export interface DockerfileRuleContext<Options> {
  dockerfile: DockerfileModel;
  /** The file's path or name, when known (the CLI's path, the editor's file name). */
  fileName?: string;
  options: Options;
  kubernetesVersion: KubernetesVersion;
  /** What the registry says about an image reference as written; undefined when registry access is off or not known yet (core/image-facts.ts). */
  imageFacts: ImageFactsLookup;
  /** Files around the Dockerfile (is there a .dockerignore?); undefined when the front end could not look. */
  buildContext?: BuildContextFacts;
  edit: DockerfileEditor;
  report(report: DockerfileRuleReport): void;
}

export interface DockerfileRule<Options = Record<string, unknown>> {
  meta: RuleMeta & { target: 'dockerfile' };
  check(context: DockerfileRuleContext<Options>): void;
}

export interface KubeletRuleReport {
  /** The field at fault (its value, or its key for a field that should go), or `config.anchor` for a missing one. */
  target: FileSpan;
  message: string;
  fixes?: Fix[];
  /**
   * A lower severity for this report than the rule's (an ignored field beside fields that stop the
   * kubelet); the configured severity stays the ceiling.
   */
  severity?: Severity;
}

/**
 * What a kubelet rule receives. Adding one: `rules/kubelet-<what>.ts` exporting
 * `defineKubeletRule({ meta, check })`, registered in rules/index.ts; a page
 * docs/rules/kubelet-<what>.md; fixtures with `runRuleTests(id, { valid, invalid })` over the
 * forms in core/kubelet/locate.ts. Read fields with `config.get(field)` (values typed as the
 * kubelet reads them, flags translated), judge an unset field only when `config.complete`
 * (otherwise its value comes from a base Podstart cannot see), and build fixes with `config.set`.
 */
export interface KubeletRuleContext<Options> {
  config: KubeletConfigView;
  options: Options;
  kubernetesVersion: KubernetesVersion;
  report(report: KubeletRuleReport): void;
}

export interface KubeletRule<Options = Record<string, unknown>> {
  meta: RuleMeta & { target: 'kubelet' };
  check(context: KubeletRuleContext<Options>): void;
}

export type Rule<Options = Record<string, unknown>> = ManifestRule<Options> | DockerfileRule<Options> | KubeletRule<Options>;

/** Declares a manifest rule with typed options; the option defaults come from its meta. */
export function defineRule<Options>(rule: ManifestRule<Options>): ManifestRule<Options> {
  return rule;
}

/** Declares a Dockerfile rule with typed options; `meta.target` is set to `dockerfile`. */
export function defineDockerfileRule<Options>(rule: { meta: Omit<RuleMeta, 'target'>; check: DockerfileRule<Options>['check'] }): DockerfileRule<Options> {
  return { meta: { ...rule.meta, target: 'dockerfile' }, check: rule.check };
}

/** Declares a kubelet configuration rule with typed options; `meta.target` is set to `kubelet`. */
export function defineKubeletRule<Options>(rule: { meta: Omit<RuleMeta, 'target'>; check: KubeletRule<Options>['check'] }): KubeletRule<Options> {
  return { meta: { ...rule.meta, target: 'kubelet' }, check: rule.check };
}

/** What a rule reads. */
export function targetOf(rule: Rule<any>): RuleTarget {
  return rule.meta.target ?? 'manifest';
}

export function isDockerfileRule(rule: Rule<any>): rule is DockerfileRule<any> {
  return targetOf(rule) === 'dockerfile';
}

export function isKubeletRule(rule: Rule<any>): rule is KubeletRule<any> {
  return targetOf(rule) === 'kubelet';
}

export function isManifestRule(rule: Rule<any>): rule is ManifestRule<any> {
  return targetOf(rule) === 'manifest';
}

/** "container `app`", "init container `wait-db`": how messages name a container. */
export function describeContainer(container: ContainerRef): string {
  const label = { container: 'Container', initContainer: 'Init container', sidecar: 'Sidecar container', ephemeralContainer: 'Ephemeral container' }[container.kind];
  return `${label} \`${container.name}\``;
}
