/**
 * Whether a user may do what a request asks, decided like kube-apiserver's RBAC authorizer:
 * a request is allowed when one rule bound to the user or one of their groups matches its verb,
 * API group, resource (with subresource: `nodes/proxy`), name and namespace, or, for non-resource
 * paths, its verb and URL. The default cluster roles every cluster has are built in: members of
 * `system:masters` may do anything; `system:discovery` lets authenticated users read discovery,
 * and `system:public-info-viewer` lets anyone read /version and the health checks.
 *
 * A denial's message is the one kube-apiserver writes: `User "x" cannot list resource "pods" in
 * API group "" in the namespace "y"` (or `at the cluster scope`, or `cannot get path "/apis"`).
 */
import type { AuthenticatedUser } from './authentication';
import type { RequestInfo } from './request-info';

/**
 * One RBAC rule. `namespaces` restricts it as a RoleBinding in each of those namespaces would
 * (omitted: bound cluster-wide, as by a ClusterRoleBinding). `apiGroups` omitted matches every group
 * (real RBAC rules must list them; a shorthand for tests).
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  namespaces?: string[];
}

/** Every verb on every resource and path, as the cluster-admin ClusterRole grants. */
export const CLUSTER_ADMIN_RULES: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const DISCOVERY_RULES: PolicyRule[] = [
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
];
const PUBLIC_INFO_RULES: PolicyRule[] = [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }];

const BUILT_IN_GROUP_RULES: Record<string, PolicyRule[]> = {
  'system:masters': CLUSTER_ADMIN_RULES,
  'system:authenticated': [...DISCOVERY_RULES, ...PUBLIC_INFO_RULES],
  'system:unauthenticated': PUBLIC_INFO_RULES,
};

function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes('*') || rule.verbs.includes(verb);
}

// RBAC's ResourceMatches: "*", the exact "resource/subresource", or "*/subresource".
function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (ruleResource) => ruleResource === '*' || ruleResource === combined || (subresource !== '' && ruleResource === `*/${subresource}`),
  );
}

function nonResourceUrlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.slice(0, -1))));
}

function ruleAllows(rule: PolicyRule, request: RequestInfo): boolean {
  if (!verbMatches(rule, request.verb)) return false;
  if (!request.isResourceRequest) return rule.namespaces === undefined && nonResourceUrlMatches(rule, request.path);
  if (!rule.resources) return false;
  if (rule.namespaces !== undefined && !rule.namespaces.includes(request.namespace)) return false;
  const groups = rule.apiGroups ?? ['*'];
  if (!groups.includes('*') && !groups.includes(request.group)) return false;
  if (!resourceMatches(rule, request.resource, request.subresource)) return false;
  return !rule.resourceNames?.length || rule.resourceNames.includes(request.name);
}

export function isAllowed(user: AuthenticatedUser, request: RequestInfo, rulesForUser: PolicyRule[], rulesForGroups: Readonly<Record<string, PolicyRule[]>>): boolean {
  const rules = [...rulesForUser, ...user.groups.flatMap((group) => [...(BUILT_IN_GROUP_RULES[group] ?? []), ...(rulesForGroups[group] ?? [])])];
  return rules.some((rule) => ruleAllows(rule, request));
}

/** The reason kube-apiserver's authorization filter gives for a denial. */
export function forbiddenReason(user: AuthenticatedUser, request: RequestInfo): string {
  const name = JSON.stringify(user.name);
  if (!request.isResourceRequest) return `User ${name} cannot ${request.verb} path ${JSON.stringify(request.path)}`;
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  const scope = request.namespace ? `in the namespace ${JSON.stringify(request.namespace)}` : 'at the cluster scope';
  return `User ${name} cannot ${request.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(request.group)} ${scope}`;
}
