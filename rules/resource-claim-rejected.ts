import type { Node, YAMLMap } from 'yaml';
import { rejectionOf } from '../core/api-rejection';
import { atLeast } from '../core/kubernetes-version';
import { describeContainer, defineRule } from '../core/rule';
import { getMap, getPair, getSeq, getString, mapItems, resolveNode } from '../core/yaml-nodes';

/**
 * Dynamic Resource Allocation (DRA) references that kube-apiserver's pod validation refuses
 * (validatePodResourceClaim, validateResourceClaimNames):
 * - a container's `resources.claims` entry naming a claim that `spec.resourceClaims` does not
 *   declare ("must be one of the names in pod.spec.resourceClaims"), or naming one twice;
 * - a `spec.resourceClaims` entry without a name, with a name that is not a DNS label or is used
 *   twice, or with neither or both of `resourceClaimName` and `resourceClaimTemplateName`;
 * - the `source:` wrapper of Kubernetes 1.26–1.30 (`source: {resourceClaimTemplateName: ...}`),
 *   removed from the v1 Pod API in 1.31: strict field validation rejects the unknown field, and
 *   without it the entry has no source.
 *
 * Whether the named ResourceClaim, ResourceClaimTemplate or DeviceClass exists, and matches, is a
 * question about other objects (often in other files): rules/resource-claim-reference-unresolved.ts.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function keyNode(map: YAMLMap, key: string): Node | undefined {
  return (getPair(map, key)?.key as Node | undefined) ?? undefined;
}

export default defineRule({
  meta: {
    id: 'resource-claim-rejected',
    stage: 'scheduling',
    defaultSeverity: 'error',
    description: "DRA claim references the API server rejects: a container claim the pod does not declare in `spec.resourceClaims`, or a `resourceClaims` entry with no name, a duplicate name, or not exactly one of `resourceClaimName` and `resourceClaimTemplateName`.",
    startupCost:
      'The pod never starts: the API server rejects a Pod at creation, a Deployment or Job with its pod template, and every pod an operator creates, so the workload waits at 0 of N pods until someone reads the error.',
    fixable: false,
    options: {},
  },
  check({ workload, kubernetesVersion, report }) {
    const { doc, podSpec } = workload;
    const rejected = rejectionOf(workload);
    const declared = new Set<string>();
    for (const claim of mapItems(doc, getSeq(doc, podSpec, 'resourceClaims'))) {
      const namePair = getPair(claim, 'name');
      const name = getString(doc, claim, 'name');
      const nameNode = resolveNode(doc, namePair?.value);
      if (!name || !nameNode) {
        report({ target: claim, message: `A \`spec.resourceClaims\` entry has no name: containers refer to a claim by its name, and ${rejected}.` });
      } else if (declared.has(name)) {
        report({ target: nameNode, message: `The pod declares the resource claim \`${name}\` twice in \`spec.resourceClaims\`: names must be unique, and ${rejected}.` });
      } else if (!DNS_LABEL.test(name) || name.length > 63) {
        report({ target: nameNode, message: `The resource claim name \`${name}\` is not a DNS label (lower-case letters, digits and '-', at most 63 characters), and ${rejected}.` });
      }
      if (name) declared.add(name);

      const label = name ? `The resource claim \`${name}\`` : 'The resource claim';
      const sources = ['resourceClaimName', 'resourceClaimTemplateName'].filter((key) => getString(doc, claim, key) !== undefined);
      const legacy = getMap(doc, claim, 'source');
      if (legacy) {
        // Before 1.31 `source` was the only form, and is valid.
        if (!atLeast(kubernetesVersion, '1.31')) continue;
        const inner = ['resourceClaimName', 'resourceClaimTemplateName'].find((key) => getPair(legacy, key)) ?? 'resourceClaimTemplateName';
        report({
          target: keyNode(claim, 'source')!,
          message: `${label} uses \`source.${inner}\`, the form of Kubernetes 1.26–1.30: since 1.31 the field sits directly in the entry (\`${inner}: ...\`), strict field validation rejects \`source\` as an unknown field, and without it the entry names no claim, so ${rejected}.`,
        });
        continue;
      }
      if (sources.length === 0) {
        report({
          target: (namePair?.key as Node | undefined) ?? claim,
          message: `${label} sets neither \`resourceClaimName\` nor \`resourceClaimTemplateName\`: exactly one is required, and ${rejected}.`,
        });
      } else if (sources.length === 2) {
        report({
          target: keyNode(claim, 'resourceClaimTemplateName')!,
          message: `${label} sets both \`resourceClaimName\` and \`resourceClaimTemplateName\`: exactly one is allowed (a shared claim, or one generated per pod from the template), and ${rejected}.`,
        });
      }
      for (const key of sources) {
        const value = getString(doc, claim, key)!;
        if (!DNS_SUBDOMAIN.test(value) || value.length > 253) {
          report({ target: resolveNode(doc, getPair(claim, key)?.value)!, message: `\`${key}: ${value}\` is not a valid object name (a DNS subdomain: lower-case letters, digits, '-' and '.'), and ${rejected}.` });
        }
      }
    }

    for (const container of workload.containers) {
      const seen = new Set<string>();
      for (const claim of mapItems(doc, getSeq(doc, getMap(doc, container.node, 'resources'), 'claims'))) {
        const name = getString(doc, claim, 'name');
        const nameNode = resolveNode(doc, getPair(claim, 'name')?.value);
        if (!name || !nameNode) {
          report({ target: claim, message: `${describeContainer(container)} has a \`resources.claims\` entry without a name, and ${rejected}.` });
          continue;
        }
        const request = getString(doc, claim, 'request');
        const key = request ? `${name}/${request}` : name;
        if (seen.has(key)) {
          report({ target: nameNode, message: `${describeContainer(container)} lists the claim \`${key}\` twice in \`resources.claims\`, and ${rejected}.` });
        } else if (!declared.has(name)) {
          const known = declared.size === 0 ? 'the pod declares no claims in `spec.resourceClaims`' : `the pod declares ${[...declared].map((claimName) => `\`${claimName}\``).join(', ')}`;
          report({
            target: nameNode,
            message: `${describeContainer(container)} uses the resource claim \`${name}\`, but ${known}: a container can only use claims the pod declares (with a \`resourceClaimName\` or \`resourceClaimTemplateName\`), and ${rejected}.`,
          });
        }
        seen.add(key);
      }
    }
  },
});
