/**
 * The discovery documents kube-apiserver serves, for the resource types this server serves:
 * /version (version.Info), /api (APIVersions), /api/v1 and /apis/<group>/<version>
 * (APIResourceList), /apis (APIGroupList) and /apis/<group> (APIGroup). Only the unaggregated form
 * is served: a client asking for aggregated discovery (apidiscovery.k8s.io/v2) gets this JSON, as
 * from a server that predates it, and falls back as kubectl and client-go do.
 */
import { apiVersionOf, RESOURCE_TYPES, servedGroups } from './resources';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  [field: string]: string;
}

/** `/version` for a release such as `1.34.1`. */
export function versionInfo(release: string): VersionInfo {
  const [major, minor] = release.split('.');
  const info: VersionInfo = { major, minor, gitVersion: `v${release}` };
  if (Number(minor) >= 33) {
    // Compatibility versions, reported since Kubernetes 1.33.
    info.emulationMajor = major;
    info.emulationMinor = minor;
    info.minCompatibilityMajor = major;
    info.minCompatibilityMinor = String(Number(minor) - 1);
  }
  return {
    ...info,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreApiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupDocument(name: string, versions: string[]): object {
  const groupVersions = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: groupVersions, preferredVersion: groupVersions[0] };
}

export function apiGroupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: servedGroups().map((group) => groupDocument(group.name, group.versions)) };
}

/** `/apis/<group>`, or undefined for a group not served. */
export function apiGroup(name: string): object | undefined {
  const group = servedGroups().find((candidate) => candidate.name === name);
  return group && { kind: 'APIGroup', apiVersion: 'v1', ...groupDocument(group.name, group.versions) };
}

/** `/api/v1` or `/apis/<group>/<version>`, or undefined for a group version not served. */
export function apiResourceList(group: string, version: string): object | undefined {
  const types = RESOURCE_TYPES.filter((type) => type.group === group && type.version === version);
  if (types.length === 0) return undefined;
  const resources: object[] = [];
  for (const type of types) {
    const resource: Record<string, unknown> = { name: type.resource, singularName: type.singularName, namespaced: type.namespaced, kind: type.kind, verbs: type.verbs };
    if (type.shortNames) resource.shortNames = type.shortNames;
    if (type.categories) resource.categories = type.categories;
    resources.push(resource);
    for (const subresource of type.subresources ?? []) {
      resources.push({ name: `${type.resource}/${subresource.name}`, singularName: '', namespaced: type.namespaced, kind: subresource.kind, verbs: subresource.verbs });
    }
  }
  const groupVersion = apiVersionOf({ group, version });
  // kube-apiserver leaves apiVersion out of the legacy /api/v1 list and sets it for named groups.
  return group ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources } : { kind: 'APIResourceList', groupVersion, resources };
}
