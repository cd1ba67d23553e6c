/**
 * A hand-built image inventory for the image-cache and bootstrap-script tests, written as
 * core/generate/image-inventory.ts describes its output: three node pools (no selector, a GPU pool,
 * a GPU pool in one zone), digests written in a manifest and resolved by the registry, moving tags
 * with and without a known digest, init containers, two references pinned to the same content, a
 * Docker Hub short name, a registry with a port, and two imagePullSecrets.
 */
import type { ImageInventory, ImageSource, InventoryImage } from '../../core/generate/types';

export const DIGESTS = {
  api: `sha256:${'a1'.repeat(32)}`,
  busybox: `sha256:${'b2'.repeat(32)}`,
  exporter: `sha256:${'c3'.repeat(32)}`,
  pytorch: `sha256:${'d4'.repeat(32)}`,
} as const;

function source(file: string, line: number, workload: string, container: string, containerKind: ImageSource['containerKind'] = 'container'): ImageSource {
  return { file, line, workload, container, containerKind };
}

function image(fields: Partial<InventoryImage> & Pick<InventoryImage, 'image' | 'sources'>): InventoryImage {
  return { mutable: false, pinned: fields.image, pullSecrets: [], nodeSelectors: [{}], initOnly: false, ...fields };
}

/** `ghcr.io/acme/api:1.4.2`: a full version tag whose digest the registry resolved. */
const api = image({
  image: 'ghcr.io/acme/api:1.4.2',
  digest: DIGESTS.api,
  pinned: `ghcr.io/acme/api:1.4.2@${DIGESTS.api}`,
  sizeBytes: 180_000_000,
  sources: [source('deploy/api.yaml', 21, 'Deployment shop/api', 'api')],
  pullSecrets: ['ghcr-pull'],
});

/** The same content written pinned in another manifest: one pull, one cache entry. */
const apiPinned = image({
  image: `ghcr.io/acme/api:1.4.2@${DIGESTS.api}`,
  digest: DIGESTS.api,
  pinned: `ghcr.io/acme/api:1.4.2@${DIGESTS.api}`,
  sizeBytes: 180_000_000,
  sources: [source('deploy/worker.yaml', 30, 'Deployment shop/worker', 'worker')],
  pullSecrets: ['ghcr-pull'],
});

/** Docker Hub short name with a moving tag and no digest known. */
const nginx = image({
  image: 'nginx:latest',
  mutable: true,
  sources: [source('deploy/web.yaml', 17, 'Deployment shop/web', 'web'), source('deploy/web.yaml', 48, 'Deployment shop/web-canary', 'web')],
});

/** A minor tag (moves with patches) in an init container, pinned by the registry's digest. */
const busybox = image({
  image: 'busybox:1.36',
  digest: DIGESTS.busybox,
  mutable: true,
  pinned: `busybox:1.36@${DIGESTS.busybox}`,
  sizeBytes: 2_200_000,
  sources: [source('deploy/api.yaml', 15, 'Deployment shop/api', 'wait-for-db', 'initContainer')],
  initOnly: true,
});

/** Pinned by digest in the manifest itself. */
const exporter = image({
  image: `quay.io/prometheus/node-exporter@${DIGESTS.exporter}`,
  digest: DIGESTS.exporter,
  pinned: `quay.io/prometheus/node-exporter@${DIGESTS.exporter}`,
  sources: [source('deploy/monitoring.yaml', 40, 'DaemonSet monitoring/node-exporter', 'exporter')],
});

/** A large GPU image on the GPU pool, from a private registry, pinned by the registry's digest. */
const pytorch = image({
  image: 'nvcr.io/nvidia/pytorch:24.05-py3',
  digest: DIGESTS.pytorch,
  mutable: true,
  pinned: `nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`,
  sizeBytes: 9_800_000_000,
  sources: [source('ml/train.yaml', 33, 'Job ml/train', 'trainer'), source('ml/serve.yaml', 25, 'Deployment ml/serve', 'server')],
  pullSecrets: ['ngc'],
  nodeSelectors: [{ pool: 'gpu' }, { pool: 'gpu', zone: 'a' }],
});

/** A registry with a port, a moving tag, no digest: on the zone-a GPU nodes only. */
const batch = image({
  image: 'registry.example.com:5000/acme/batch:2024',
  mutable: true,
  sources: [source('ml/batch.yaml', 19, 'CronJob ml/nightly', 'batch')],
  pullSecrets: ['ngc'],
  nodeSelectors: [{ pool: 'gpu', zone: 'a' }],
});

export function sampleInventory(): ImageInventory {
  return {
    images: [api, busybox, exporter, apiPinned, nginx, batch, pytorch].map((entry) => structuredClone(entry)),
    nodePools: [
      {
        selector: {},
        images: [api.image, busybox.image, exporter.image, apiPinned.image, nginx.image],
        workloads: ['DaemonSet monitoring/node-exporter', 'Deployment shop/api', 'Deployment shop/web', 'Deployment shop/web-canary', 'Deployment shop/worker'],
      },
      { selector: { pool: 'gpu' }, images: [pytorch.image], workloads: ['Job ml/train'] },
      { selector: { pool: 'gpu', zone: 'a' }, images: [batch.image, pytorch.image], workloads: ['CronJob ml/nightly', 'Deployment ml/serve'] },
    ],
    pullSecrets: ['ghcr-pull', 'ngc'],
    namespaces: ['ml', 'monitoring', 'shop'],
    skipped: [{ file: 'charts/app/templates/deploy.yaml', reason: 'a Helm template, not the YAML the cluster receives' }],
    placeholders: [{ ...source('deploy/legacy.yaml', 12, 'Deployment shop/legacy', 'app'), image: '${LEGACY_IMAGE}' }],
  };
}
