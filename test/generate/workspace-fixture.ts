/**
 * The fixture workspace of the generator tests (test/generate/fixtures/workspace): several manifests
 * with duplicates, digests, init containers and a native sidecar, pull secrets, distroless and
 * Chainguard images, node selectors, a CronJob and a `v1 List`, a Helm template, a variable image,
 * a broken document, a Dockerfile and a package.json; read as the CLI reads a folder, with names
 * relative to it. And what a registry says about some of its images.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageFactsLookup, ImageFactsView } from '../../core/image-facts';

export const WORKSPACE = path.join(__dirname, 'fixtures', 'workspace');

export function readFolder(root: string): Array<{ file: string; text: string }> {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  return walk(root)
    .sort()
    .map((full) => ({ file: path.relative(root, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') }));
}

export const workspaceFiles = () => readFolder(WORKSPACE);

const digest = (hex: string) => `sha256:${hex.repeat(64 / hex.length)}`;

/** Registry answers: a moving tag with its digest and size, a 9.5 GB GPU image, small and large tagged images. */
export const REGISTRY: Record<string, ImageFactsView> = {
  'oliver006/redis_exporter:latest': { digest: digest('a1'), compressedSize: 9_000_000, layerCount: 3 },
  'nvcr.io/nvidia/pytorch:24.05-py3': { digest: digest('b2'), compressedSize: 9_500_000_000, layerCount: 40 },
  'ghcr.io/acme/api:2.3.1': { digest: digest('c3'), compressedSize: 420_000_000, layerCount: 12 },
  'grafana/grafana:11.1.0': { digest: digest('d4'), compressedSize: 130_000_000, layerCount: 10 },
  'envoyproxy/envoy:v1.31.2': { digest: digest('e5'), compressedSize: 60_000_000, layerCount: 8 },
};

export const registryLookup: ImageFactsLookup = (reference) => REGISTRY[reference];

/** The 1-based lines of `text` whose `image:` value is `reference` (as written, quoted or not). */
export function imageLines(text: string, reference: string): number[] {
  return text
    .split('\n')
    .flatMap((line, index) => (line.replace(/["']/g, '').trim().replace(/^- /, '') === `image: ${reference}` ? [index + 1] : []));
}
