/**
 * kube-fledged's ImageCache, kubefledged.io/v1alpha2, as a JSON schema written from its Go types
 * (senthilrch/kube-fledged pkg/apis/kubefledged/v1alpha2/types.go; the group is `kubefledged.io` in
 * pkg/apis/kubefledged/register.go): spec.cacheSpec[] of {images, nodeSelector} and
 * spec.imagePullSecrets[] of LocalObjectReference. Closed, so that a misspelt field fails; for the
 * tests of everything Podstart writes as an ImageCache (the generator, the snippet).
 */
import Ajv from 'ajv';

export const IMAGE_CACHE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'kubefledged.io/v1alpha2' },
    kind: { const: 'ImageCache' },
    metadata: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        namespace: { type: 'string' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        annotations: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
    spec: {
      type: 'object',
      required: ['cacheSpec'],
      additionalProperties: false,
      properties: {
        cacheSpec: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['images'],
            additionalProperties: false,
            properties: {
              // kube-fledged refuses an entry without images (pkg/app validateCacheSpec).
              images: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        },
        imagePullSecrets: { type: 'array', items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } } },
      },
    },
  },
} as const;

export const validateImageCache = new Ajv({ allErrors: true }).compile(IMAGE_CACHE_SCHEMA);

/** The schema's complaints about a value, as `path message` lines (empty when it is valid). */
export function imageCacheProblems(value: unknown): string[] {
  return validateImageCache(value) ? [] : (validateImageCache.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
