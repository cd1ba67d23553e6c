/**
 * The hostile inputs of issue 8, item 5, built in memory so that the CLI and the language server
 * are given the same bytes: a file over maxFileSize, 100,000 YAML documents, a 10 MB line, binary
 * data, and invalid UTF-8.
 */

/** A byte limit small enough to cross cheaply: the tests pass it as maxFileSize. */
export const SMALL_LIMIT = 64 * 1024;

/** A manifest over SMALL_LIMIT: ConfigMaps and one Deployment, valid YAML throughout. */
export function overTheLimit(): string {
  return manyDocuments(2_000, 1);
}

/**
 * `configMaps` small ConfigMaps separated by `---`, with `deployments` Deployments spread among
 * them, each using a mutable tag (one finding each, so a test can count that every one was read).
 */
export function manyDocuments(configMaps: number, deployments: number): string {
  const every = Math.floor(configMaps / deployments);
  const parts: string[] = [];
  for (let index = 0; index < configMaps; index++) {
    if (index % every === 0 && index / every < deployments) parts.push(deployment(`web-${index / every}`));
    parts.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${index}}\ndata: {k: v}\n`);
  }
  return parts.join('---\n');
}

function deployment(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/${name}:latest
`;
}

/** One ConfigMap whose single value is a 10 MB line. */
export function tenMegabyteLine(): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blob\ndata:\n  blob: ${'x'.repeat(10 * 1024 * 1024)}\n`;
}

/** Pseudo-random bytes (fixed seed, so a failure can be reproduced), a NUL among the first few. */
export function binaryBytes(length = 64 * 1024): Buffer {
  const bytes = Buffer.alloc(length);
  let seed = 0x2545f491;
  for (let index = 0; index < length; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[index] = seed >> 16;
  }
  // A gzip header, as when an archive is saved under a .yaml name; it holds NULs.
  Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]).copy(bytes);
  return bytes;
}

/**
 * A Deployment saved in Latin-1 (`café` as 0x63 0x61 0x66 0xE9 in an annotation) with a stray
 * continuation byte: not valid UTF-8, otherwise a sound manifest with one finding (a mutable tag,
 * line 7, column 58).
 */
export function invalidUtf8(): Buffer {
  const text = (placeholder: string) => Buffer.from(placeholder);
  return Buffer.concat([
    text('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: menu\n  annotations:\n    dish: caf'),
    Buffer.from([0xe9, 0x80]),
    text('\nspec: {template: {spec: {containers: [{name: app, image: ghcr.io/acme/menu:latest}]}}}\n'),
  ]);
}
