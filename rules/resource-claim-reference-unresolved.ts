import type { Node } from 'yaml';
import { DRA_API_GROUP, type DefinedKind, type DefinedObject, type DefinedObjects } from '../core/defined-objects';
import { editDistance } from '../core/edit-distance';
import { atLeast } from '../core/kubernetes-version';
import { defineRule } from '../core/rule';
import { getMap, getPair, getSeq, getString, mapItems, resolveNode } from '../core/yaml-nodes';

/**
 * Dynamic Resource Allocation (DRA) references that the objects beside the workload do not
 * resolve: the cross-object half of resource-claim-rejected, which checks what one pod spec says.
 *
 * - A pod's `resourceClaimTemplateName` (or `resourceClaimName`) names a ResourceClaimTemplate
 *   (ResourceClaim) that the known objects do not define in the pod's namespace, while they do
 *   define others of that kind there: the author keeps them beside the workload, so the missing
 *   one is a typo or a forgotten document, not an object made elsewhere. Without the template
 *   the resourceclaim controller cannot create the pod's claim (a FailedResourceClaimCreation
 *   event, retried), and the scheduler does not place a pod whose claim does not exist.
 * - The template or claim the pod names asks for a DeviceClass that the known objects do not
 *   define, while they define a DeviceClass with nearly that name. DeviceClasses usually come
 *   from the driver's chart (gpu.nvidia.com), outside the manifests at hand, so an unknown class
 *   is reported only as a near miss of a defined one. The scheduler keeps the pod unschedulable
 *   ("device class ... does not exist") until a class of that name appears.
 *
 * The class is reported on the pod's reference, not in the template: rules see workloads, and a
 * template that no pod uses holds nothing up. "Known objects" are what the front end passes
 * (core/defined-objects.ts): every file of a CLI run, the open file in the editor.
 */

type ReferenceKey = 'resourceClaimTemplateName' | 'resourceClaimName';

const KIND_OF: Record<ReferenceKey, DefinedKind> = { resourceClaimTemplateName: 'ResourceClaimTemplate', resourceClaimName: 'ResourceClaim' };

const WHY_PENDING: Record<ReferenceKey, string> = {
  resourceClaimTemplateName:
    'Without the template the resourceclaim controller cannot create the pod\'s ResourceClaim (a FailedResourceClaimCreation event, "not found", retried with back-off), and the scheduler does not place a pod whose claim does not exist',
  resourceClaimName: 'The scheduler does not place a pod whose ResourceClaim does not exist, and waits until one of that name is created',
};

/** The workload and the object may be the same namespace: equal as written, or one left to the apply (`kubectl apply -n`). */
function mayShareNamespace(objectNamespace: string | undefined, podNamespace: string | undefined): boolean {
  return objectNamespace === undefined || podNamespace === undefined || objectNamespace === podNamespace;
}

function namespaceText(namespace: string | undefined): string {
  return namespace === undefined ? 'the namespace it is applied to' : `namespace \`${namespace}\``;
}

/** Names that differ only in digits (`mig-1g.10gb`, `mig-2g.20gb`) are sizes or models of one family, not typos of each other. */
function differOnlyInDigits(a: string, b: string): boolean {
  return a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#');
}

/** One letter changed in a short word (`cpu`, `gpu`, `tpu`; `nic`, `net`) names another device type, not a typo. */
function differInShortWord(a: string, b: string): boolean {
  const wordsA = a.split(/[.-]/);
  const wordsB = b.split(/[.-]/);
  if (wordsA.length !== wordsB.length) return false;
  const differing = wordsA.flatMap((word, index) => (word === wordsB[index] ? [] : [[word, wordsB[index]]]));
  return differing.length === 1 && differing[0][0].length === differing[0][1].length && differing[0][0].length <= 3;
}

/**
 * The defined name `written` is most likely a misspelling of: one edit away (two for names over
 * ten characters), not a sibling of a family, and the only one that close.
 */
export function nearMiss(written: string, defined: Iterable<string>): string | undefined {
  const allowed = written.length > 10 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  let tie = false;
  for (const candidate of new Set(defined)) {
    if (candidate === written || differOnlyInDigits(candidate, written) || differInShortWord(candidate, written)) continue;
    const distance = editDistance(written, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

function listNames(names: string[]): string {
  const unique = [...new Set(names)].sort();
  const shown = unique.slice(0, 5).map((name) => `\`${name}\``).join(', ');
  return unique.length > 5 ? `${shown} and ${unique.length - 5} more` : shown;
}

function ofKind(objects: DefinedObjects, kind: DefinedKind): DefinedObject[] {
  return objects.filter((object) => object.apiGroup === DRA_API_GROUP && object.kind === kind);
}

export default defineRule({
  meta: {
    id: 'resource-claim-reference-unresolved',
    stage: 'scheduling',
    defaultSeverity: 'warning',
    description:
      "A pod's DRA `resourceClaimTemplateName` or `resourceClaimName` naming a ResourceClaimTemplate or ResourceClaim that the workspace defines only under other names in the pod's namespace, or a template or claim asking for a DeviceClass whose name is a near miss of a defined one.",
    startupCost:
      'The pod never leaves Pending: without its ResourceClaimTemplate no claim is created, and without its ResourceClaim or DeviceClass the scheduler marks it unschedulable. Nothing fails loudly: the rollout waits at 0 of N pods until someone reads `kubectl describe pod` and the object is created or the name fixed.',
    fixable: false,
    options: {},
  },
  check(context) {
    const { workload, kubernetesVersion, report } = context;
    const { doc, podSpec, namespace } = workload;
    const claims = mapItems(doc, getSeq(doc, podSpec, 'resourceClaims'));
    if (claims.length === 0) return;
    // Read only for a pod that names claims: analyzeText records the read, and only such documents
    // are analysed again when the file's other documents define other objects (server/incremental-analysis.ts).
    const { definedObjects } = context;
    const deviceClassNames = ofKind(definedObjects, 'DeviceClass').map((object) => object.name);
    for (const claim of claims) {
      // Before 1.31 the reference sat under `source:`; from 1.31 that form is refused (resource-claim-rejected).
      const legacy = getMap(doc, claim, 'source');
      const holder = legacy && !atLeast(kubernetesVersion, '1.31') ? legacy : claim;
      const keys = (['resourceClaimTemplateName', 'resourceClaimName'] as const).filter((key) => getString(doc, holder, key) !== undefined);
      // Neither or both: the API server refuses the pod, and resource-claim-rejected says so.
      if (keys.length !== 1) continue;
      const key = keys[0];
      const name = getString(doc, holder, key)!;
      const target = resolveNode(doc, getPair(holder, key)?.value) as Node | undefined;
      if (!target) continue;
      const kind = KIND_OF[key];
      const sameKind = ofKind(definedObjects, kind);
      const candidates = sameKind.filter((object) => mayShareNamespace(object.namespace, namespace));
      const matches = candidates.filter((object) => object.name === name);

      if (matches.length === 0) {
        // None of this kind kept beside the workload: they come from elsewhere (a chart, an operator, another repository).
        const beside = sameKind.filter((object) => object.namespace === namespace);
        if (beside.length === 0) continue;
        const suggestion = nearMiss(name, candidates.map((object) => object.name));
        report({
          target,
          message: `The pod stays Pending at scheduling: \`${key}: ${name}\` names a ${kind} that is not defined in ${namespaceText(namespace)}, where the manifests define ${listNames(beside.map((object) => object.name))}${suggestion ? `: did you mean \`${suggestion}\`?` : '.'} ${WHY_PENDING[key]}.`,
        });
        continue;
      }

      if (deviceClassNames.length === 0) continue;
      // The object the pod gets: the one in its own namespace, or the only one it may share.
      const used = matches.find((object) => object.namespace === namespace) ?? (matches.length === 1 ? matches[0] : undefined);
      const reported = new Set<string>();
      for (const use of used?.deviceClasses ?? []) {
        if (deviceClassNames.includes(use.deviceClassName) || reported.has(use.deviceClassName)) continue;
        const suggestion = nearMiss(use.deviceClassName, deviceClassNames);
        if (!suggestion) continue;
        reported.add(use.deviceClassName);
        report({
          target,
          message: `The pod stays Pending at scheduling: the ${kind} \`${name}\` asks for the DeviceClass \`${use.deviceClassName}\` (request \`${use.request}\`), which is not defined, while \`${suggestion}\` is: did you mean \`${suggestion}\`? The scheduler reports "device class ${use.deviceClassName} does not exist" and keeps the pod unschedulable until a DeviceClass of that name is created.`,
        });
      }
    }
  },
});
