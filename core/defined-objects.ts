/**
 * Objects that pod specs refer to by name, as the manifests at hand define them: the Dynamic
 * Resource Allocation (DRA) ResourceClaimTemplates, ResourceClaims and DeviceClasses of the
 * `resource.k8s.io` API. A rule sees one workload at a time; whether the template its pod names
 * exists is a question about other documents, often in other files. The front end decides which
 * texts form the workspace (the CLI: every file of one run; the editor: the open file), collects
 * their objects with `collectDefinedObjects`, and passes them to every analysis, as it passes
 * registry facts (core/image-facts.ts). Without them, analyzeText uses the objects of the text
 * it analyses.
 *
 * Only names and the few fields rules compare are kept: collecting is meant to be cheap enough to
 * run over a whole workspace, and documents of other kinds are sniffed, never parsed.
 */
import { isMap, type Document, type YAMLMap } from 'yaml';
import { detectTemplate, isTemplatedChunk } from './templates';
import { getMap, getSeq, getString, mapItems, resolveNode } from './yaml-nodes';
import { parseChunk, splitYamlDocuments } from './yaml-documents';

export const DRA_API_GROUP = 'resource.k8s.io';

export type DefinedKind = 'ResourceClaimTemplate' | 'ResourceClaim' | 'DeviceClass';

/** One DeviceClass a claim (or the claims a template makes) asks for. */
export interface DeviceClassUse {
  /** The request's name; `request/subrequest` for an alternative of `firstAvailable`. */
  request: string;
  deviceClassName: string;
}

export interface DefinedObject {
  apiGroup: string;
  kind: DefinedKind;
  /**
   * `metadata.namespace` as written; undefined when the manifest leaves it to the apply
   * (`kubectl apply -n`, a kustomization's namespace), and for cluster-scoped DeviceClasses.
   */
  namespace?: string;
  name: string;
  /** For claims and templates: the DeviceClasses their requests name, in order. */
  deviceClasses?: DeviceClassUse[];
  /** Set when a controller creates the object from another one: "ComputeDomain `imex-domain`". */
  createdBy?: string;
}

/** The objects a workspace defines; the order carries no meaning. */
export type DefinedObjects = readonly DefinedObject[];

/**
 * Kinds whose documents define objects: the DRA kinds, and NVIDIA's ComputeDomain, whose
 * controller creates the ResourceClaimTemplate named in `spec.channel.resourceClaimTemplate.name`
 * (the IMEX channel workloads ask for), so that template exists without a document of its own.
 */
const DEFINED_KINDS: ReadonlySet<string> = new Set(['ResourceClaimTemplate', 'ResourceClaim', 'DeviceClass']);
const COMPUTE_DOMAIN_GROUP = 'resource.nvidia.com';
export const DEFINING_KINDS: ReadonlySet<string> = new Set([...DEFINED_KINDS, 'ComputeDomain']);

/** A document whose kind cannot be sniffed (JSON, an indented or quoted `kind`) is parsed only when it names one of the kinds. */
const MENTIONS_DEFINING_KIND = /ResourceClaim|DeviceClass|ComputeDomain/;

function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** The DeviceClasses a ResourceClaimSpec's requests name: `exactly.deviceClassName` (v1beta2, v1), `deviceClassName` (v1alpha3, v1beta1), and each `firstAvailable` alternative. */
function deviceClassesOf(doc: Document, claimSpec: YAMLMap | undefined): DeviceClassUse[] {
  const uses: DeviceClassUse[] = [];
  for (const request of mapItems(doc, getSeq(doc, getMap(doc, claimSpec, 'devices'), 'requests'))) {
    const requestName = getString(doc, request, 'name') ?? '';
    const exact = getString(doc, getMap(doc, request, 'exactly'), 'deviceClassName') ?? getString(doc, request, 'deviceClassName');
    if (exact) uses.push({ request: requestName, deviceClassName: exact });
    for (const alternative of mapItems(doc, getSeq(doc, request, 'firstAvailable'))) {
      const className = getString(doc, alternative, 'deviceClassName');
      if (className) uses.push({ request: `${requestName}/${getString(doc, alternative, 'name') ?? ''}`, deviceClassName: className });
    }
  }
  return uses;
}

function objectOf(doc: Document, root: YAMLMap): DefinedObject | undefined {
  const kind = getString(doc, root, 'kind');
  const apiVersion = getString(doc, root, 'apiVersion');
  if (!kind || !apiVersion) return undefined;
  const metadata = getMap(doc, root, 'metadata');
  const namespace = getString(doc, metadata, 'namespace');
  const name = getString(doc, metadata, 'name');
  const group = apiGroupOf(apiVersion);
  const spec = getMap(doc, root, 'spec');
  if (kind === 'ComputeDomain' && group === COMPUTE_DOMAIN_GROUP) {
    const templateName = getString(doc, getMap(doc, getMap(doc, spec, 'channel'), 'resourceClaimTemplate'), 'name');
    return templateName ? { apiGroup: DRA_API_GROUP, kind: 'ResourceClaimTemplate', namespace, name: templateName, createdBy: `ComputeDomain \`${name ?? '(unnamed)'}\`` } : undefined;
  }
  // An object with only a generateName cannot be referred to by name.
  if (group !== DRA_API_GROUP || !DEFINED_KINDS.has(kind) || !name) return undefined;
  const defined: DefinedObject = { apiGroup: group, kind: kind as DefinedKind, name };
  if (kind === 'DeviceClass') return defined;
  if (namespace !== undefined) defined.namespace = namespace;
  defined.deviceClasses = deviceClassesOf(doc, kind === 'ResourceClaimTemplate' ? getMap(doc, spec, 'spec') : spec);
  return defined;
}

/** The objects a parsed document defines: itself, or the items of a `v1 List`. */
export function definedObjectsOf(doc: Document): DefinedObject[] {
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) return [];
  if (getString(doc, root, 'kind') === 'List' && getString(doc, root, 'apiVersion') === 'v1') {
    return mapItems(doc, getSeq(doc, root, 'items')).flatMap((item) => objectOf(doc, item) ?? []);
  }
  const object = objectOf(doc, root);
  return object ? [object] : [];
}

/** Whether a text may define objects at all: it names one of the kinds (a cheap test before parsing or walking it). */
export function mentionsDefiningKind(text: string): boolean {
  return MENTIONS_DEFINING_KIND.test(text);
}

/** Whether a document of this sniffed kind may define objects (unknown kinds and Lists may). */
export function mayDefineObjects(kind: string | undefined): boolean {
  return kind === undefined || kind === 'List' || DEFINING_KINDS.has(kind);
}

/**
 * The objects a YAML (or JSON) text defines. Documents are split and sniffed without parsing;
 * only those of the defining kinds are parsed. Templates (Helm, Go) are skipped: their names are
 * not the names the cluster receives.
 */
export function collectDefinedObjects(text: string, fileName?: string): DefinedObject[] {
  if (!mentionsDefiningKind(text) || detectTemplate(text, fileName)) return [];
  const objects: DefinedObject[] = [];
  for (const raw of splitYamlDocuments(text)) {
    if (!mentionsDefiningKind(raw.text)) continue;
    const chunk = parseChunk(raw, (kind) => kind === undefined || DEFINING_KINDS.has(kind) || kind === 'List');
    if (!chunk.doc || chunk.errors.length > 0 || isTemplatedChunk(chunk)) continue;
    objects.push(...definedObjectsOf(chunk.doc));
  }
  return objects;
}

/** One string per set of objects: two analyses that saw the same key saw the same objects. */
export function definedObjectsKey(objects: DefinedObjects): string {
  return objects
    .map((object) => JSON.stringify([object.kind, object.namespace ?? null, object.name, object.createdBy ?? '', (object.deviceClasses ?? []).map((use) => `${use.request}=${use.deviceClassName}`)]))
    .sort()
    .join('\n');
}
