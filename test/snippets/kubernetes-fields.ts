/**
 * Checks a Kubernetes object's fields against the API types of @kubernetes/client-node (generated
 * from the Kubernetes 1.34 OpenAPI spec): every key must be a field of its type, and every value
 * of the JSON kind the type takes. It finds what a lint rule never looks at, such as a misspelt
 * `priorityClassname` or `imagePulPolicy`, which the API server's strict field validation (kubectl's
 * default) rejects.
 *
 * Not a full validation: required fields, enums and formats are not checked, and a `string` may
 * also be a number, because quantities (`cpu: 1`, `nvidia.com/gpu: 1`) are typed as strings and
 * the API server accepts JSON numbers for them.
 */
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

interface AttributeType {
  baseName: string;
  type: string;
}

interface ModelClass {
  getAttributeTypeMap(): AttributeType[];
}

export type KubernetesModels = typeof K8s;

export async function loadKubernetesModels(): Promise<KubernetesModels> {
  return import('@kubernetes/client-node');
}

/** The client-node type of a top-level object, for the built-in v1 groups (`Deployment` → `V1Deployment`); undefined for other groups. */
export function modelTypeOf(apiVersion: string, kind: string): string | undefined {
  return ['v1', 'apps/v1', 'batch/v1'].includes(apiVersion) ? `V1${kind}` : undefined;
}

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Problems of `value` as a `type` (a client-node type name or type expression), each `path: what`. */
export function kubernetesFieldProblems(models: KubernetesModels, value: unknown, type: string, path = '$'): string[] {
  const kindOf = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'a map' : `a ${typeof v}`);
  const expect = (ok: boolean, what: string) => (ok ? [] : [`${path}: expected ${what}, got ${kindOf(value)}`]);
  switch (type) {
    case 'any':
      return [];
    case 'string':
      return expect(typeof value === 'string' || typeof value === 'number', 'a string');
    case 'number':
      return expect(typeof value === 'number', 'a number');
    case 'boolean':
      return expect(typeof value === 'boolean', 'true or false');
    case 'Date':
      return expect(typeof value === 'string', 'a timestamp');
    case 'IntOrString':
      return expect(typeof value === 'string' || typeof value === 'number', 'an integer or a string');
  }
  const array = ARRAY.exec(type);
  if (array) {
    if (!Array.isArray(value)) return expect(false, 'a list');
    return value.flatMap((item, index) => kubernetesFieldProblems(models, item, array[1], `${path}[${index}]`));
  }
  const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
  const map = MAP.exec(type);
  if (map) {
    if (!isMap) return expect(false, 'a map');
    return Object.entries(value).flatMap(([key, item]) => kubernetesFieldProblems(models, item, map[1], `${path}[${key}]`));
  }
  const model = (models as unknown as Record<string, ModelClass | undefined>)[type];
  if (typeof model?.getAttributeTypeMap !== 'function') throw new Error(`${path}: no client-node type ${type}`);
  if (!isMap) return expect(false, `a map (${type})`);
  const fields = new Map(model.getAttributeTypeMap().map((attribute) => [attribute.baseName, attribute.type]));
  return Object.entries(value).flatMap(([key, item]) => {
    const fieldType = fields.get(key);
    if (fieldType === undefined) return [`${path}.${key}: not a field of ${type}`];
    return kubernetesFieldProblems(models, item, fieldType, `${path}.${key}`);
  });
}
