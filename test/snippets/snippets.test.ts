/**
 * The snippets in snippets/kubernetes-startup.json, expanded as VS Code inserts them with every
 * default accepted (and with each later choice), then checked as a user would check them: the
 * YAML parses, Podstart finds nothing to report, the objects are valid Kubernetes (or kubelet, or
 * kube-fledged) objects, and the defaults are the advice the descriptions promise.
 *
 * Where a snippet goes is read from its first line: `apiVersion:` starts a whole document, `- `
 * a container list item (typed under `containers:`), any other key a container's fields (typed
 * among them). Container-level snippets are linted where users type them, in a Deployment and in
 * a Pod, at their containers' indentation.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseAllDocuments, type YAMLMap } from 'yaml';
import { analyzeText, isAnalysedKind } from '../../core/analyze';
import { DEFAULT_PINNED_TAG_PATTERN, isImmutableReference, parseImageReference } from '../../core/image-reference';
import { validateKubeletConfiguration } from '../../core/kubelet/schema-validation';
import { parseQuantity } from '../../core/quantities';
import { findWorkloads, type Workload } from '../../core/workload';
import { PACKAGE_JSON, SNIPPETS_FILE } from '../../scripts/generate-manifest';
import { imageCacheProblems } from '../support/image-cache-schema';
import { kubernetesFieldProblems, loadKubernetesModels, modelTypeOf, type KubernetesModels } from './kubernetes-fields';
import { choiceCount, expandSnippet } from './snippet-expander';

interface SnippetEntry {
  prefix: string | string[];
  body: string | string[];
  description: string;
}

type Placement = 'document' | 'container-item' | 'container-fields';

const ROOT = path.dirname(PACKAGE_JSON);
const SNIPPETS_TEXT = readFileSync(path.join(ROOT, SNIPPETS_FILE), 'utf8');
const SNIPPETS = Object.entries(JSON.parse(SNIPPETS_TEXT) as Record<string, SnippetEntry>).map(([title, entry]) => {
  const lines = [entry.body].flat();
  return { title, description: entry.description, prefixes: [entry.prefix].flat(), lines, placement: placementOf(lines) };
});
type Snippet = (typeof SNIPPETS)[number];

/** Every prefix of ours starts with this; the older short prefixes (`startupProbe`) stay as aliases. */
const PREFIX = 'podstart-';

/** The variables VS Code defines for snippets, with values for a file `deploy/app.yaml`: a snippet may use these and no others. */
const EDITOR_VARIABLES: Readonly<Record<string, string>> = {
  TM_SELECTED_TEXT: '', TM_CURRENT_LINE: '', TM_CURRENT_WORD: '', TM_LINE_INDEX: '0', TM_LINE_NUMBER: '1',
  TM_FILENAME: 'app.yaml', TM_FILENAME_BASE: 'app', TM_DIRECTORY: '/work/deploy', TM_FILEPATH: '/work/deploy/app.yaml',
  RELATIVE_FILEPATH: 'deploy/app.yaml', CLIPBOARD: '', WORKSPACE_NAME: 'work', WORKSPACE_FOLDER: '/work', CURSOR_INDEX: '0', CURSOR_NUMBER: '1',
  CURRENT_YEAR: '2025', CURRENT_YEAR_SHORT: '25', CURRENT_MONTH: '06', CURRENT_MONTH_NAME: 'June', CURRENT_MONTH_NAME_SHORT: 'Jun',
  CURRENT_DATE: '02', CURRENT_DAY_NAME: 'Monday', CURRENT_DAY_NAME_SHORT: 'Mon', CURRENT_HOUR: '10', CURRENT_MINUTE: '00',
  CURRENT_SECOND: '00', CURRENT_SECONDS_UNIX: '1748858400', CURRENT_TIMEZONE_OFFSET: '+00:00', RANDOM: '123456', RANDOM_HEX: 'a1b2c3',
  UUID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', BLOCK_COMMENT_START: '', BLOCK_COMMENT_END: '', LINE_COMMENT: '#',
};

/** Images the snippets name on purpose rather than leave to the user: the pre-puller's helpers. */
const FIXED_IMAGES = new Set(['busybox:1.37.0-musl', 'registry.k8s.io/pause:3.10.1']);

function placementOf(lines: readonly string[]): Placement | undefined {
  if (lines[0].startsWith('apiVersion:')) return 'document';
  if (lines[0].startsWith('- ')) return 'container-item';
  if (/^[a-zA-Z]+:/.test(lines[0])) return 'container-fields';
  return undefined;
}

/** The snippet's text for each choice index (0: as inserted by default), typed on a line indented by `indent`. */
function expansions(snippet: Snippet, indent = ''): Array<{ choice: number; text: string }> {
  return Array.from({ length: choiceCount(snippet.lines) }, (_, choice) => ({ choice, text: expandSnippet(snippet.lines, { variables: EDITOR_VARIABLES, choice, indent }).text }));
}

function problemsOf(text: string) {
  return analyzeText({ text }).findings.filter((finding) => finding.severity !== 'hint').map((finding) => `${finding.severity} ${finding.ruleId} at ${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.message}`);
}

/**
 * Where users type container-level snippets: the text with the snippet typed at the cursor (the
 * snippet's first line starts there, the editor indents its other lines like that line), and the
 * container the snippet lands in or adds.
 */
const HOSTS = [
  {
    name: 'a Deployment',
    itemIndent: '        ',
    wrap: (containers: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: storefront
spec:
  selector:
    matchLabels:
      app: storefront
  template:
    metadata:
      labels:
        app: storefront
    spec:
      containers:
${containers}
`,
  },
  {
    name: 'a Pod',
    itemIndent: '    ',
    wrap: (containers: string) => `apiVersion: v1
kind: Pod
metadata:
  name: storefront
spec:
  containers:
${containers}
`,
  },
];

/** The container the host already has, for a snippet of container fields (itself following the advice), then the cursor on a new field line. */
function hostContainer(itemIndent: string): string {
  const field = `${itemIndent}  `;
  return [
    `${itemIndent}- name: web`,
    `${field}image: registry.example.com/storefront:4.2.0`,
    `${field}imagePullPolicy: IfNotPresent`,
    `${field}resources:`,
    `${field}  requests: {cpu: 250m, memory: 128Mi}`,
    `${field}  limits: {memory: 128Mi}`,
    field,
  ].join('\n');
}

/** The containers of a YAML text's workloads, as plain values, with their workloads. */
function containersOf(text: string): Array<{ workload: Workload; kind: string; container: Record<string, any> }> {
  return parseAllDocuments(text).flatMap((doc) =>
    findWorkloads(doc as Parameters<typeof findWorkloads>[0]).flatMap((workload) =>
      workload.containers.map((ref) => ({ workload, kind: ref.kind, container: (ref.node as YAMLMap).toJSON() as Record<string, any> })),
    ),
  );
}

/** Custom resources Podstart does not analyse but ships snippets for, each with its own check of the object. */
const KNOWN_CUSTOM_RESOURCES: Record<string, (value: any) => string[]> = {
  'kubefledged.io/v1alpha2 ImageCache': (value) => {
    // The closed schema from kube-fledged's Go types: a misspelt field fails.
    const problems = imageCacheProblems(value);
    const images: string[] = (value?.spec?.cacheSpec ?? []).flatMap((entry: { images?: string[] }) => entry.images ?? []);
    for (const image of images) if (!pinned(image)) problems.push(`image ${image} is not pinned to a version or digest`);
    return problems;
  },
};

function pinned(image: string): boolean {
  const reference = parseImageReference(image);
  return reference !== undefined && isImmutableReference(reference, DEFAULT_PINNED_TAG_PATTERN);
}

/** What the descriptions promise of every container: a pinned image pulled IfNotPresent, no CPU limit, memory limit = request, a startup probe before readiness. */
function adviceProblems(text: string): string[] {
  const problems: string[] = [];
  for (const { workload, container } of containersOf(text)) {
    const who = `${workload.kind} ${workload.name} container ${container.name}`;
    if (typeof container.image !== 'string' || !pinned(container.image)) problems.push(`${who}: image ${container.image} is not pinned`);
    if (container.imagePullPolicy !== 'IfNotPresent') problems.push(`${who}: imagePullPolicy is ${container.imagePullPolicy}, not IfNotPresent`);
    const { requests = {}, limits = {} } = container.resources ?? {};
    if (limits.cpu !== undefined) problems.push(`${who}: has a CPU limit (${limits.cpu})`);
    if (requests.cpu === undefined) problems.push(`${who}: has no CPU request`);
    if (requests.memory === undefined || parseQuantity(String(limits.memory)) !== parseQuantity(String(requests.memory))) problems.push(`${who}: memory limit ${limits.memory} is not the request ${requests.memory}`);
    if (container.readinessProbe && !container.startupProbe) problems.push(`${who}: a readiness probe without a startup probe`);
  }
  return problems;
}

describe('snippets', () => {
  let models: KubernetesModels;
  before(async () => {
    models = await loadKubernetesModels();
  });

  it('ships snippets of every placement', () => {
    const placements = new Set(SNIPPETS.map((snippet) => snippet.placement));
    assert.deepEqual([...placements].sort(), ['container-fields', 'container-item', 'document']);
    assert.ok(SNIPPETS.filter((snippet) => snippet.placement === 'document').length >= 6);
  });

  describe('each snippet', () => {
    for (const snippet of SNIPPETS) {
      it(`${snippet.title}: a ${PREFIX} prefix, a description, no tabs, and a body that expands completely`, () => {
        assert.ok(snippet.prefixes.some((prefix) => prefix.startsWith(PREFIX)), `prefixes ${snippet.prefixes.join(', ')}`);
        assert.ok(snippet.prefixes.every((prefix) => /^[A-Za-z][A-Za-z-]*$/.test(prefix)), `prefixes ${snippet.prefixes.join(', ')}`);
        assert.ok(snippet.description.length >= 80 && /[.)]$/.test(snippet.description), snippet.description);
        assert.ok(snippet.placement, `first line ${JSON.stringify(snippet.lines[0])} is not a document, a container item or a container field`);
        for (const line of snippet.lines) assert.doesNotMatch(line, /\t/, `tab in ${JSON.stringify(line)}`);
        const expansion = expandSnippet(snippet.lines, { variables: EDITOR_VARIABLES });
        assert.deepEqual(expansion.unknownVariables, [], 'variables VS Code does not define (a shell $VAR needs \\$)');
        assert.ok(expansion.tabstops.length > 0, 'placeholders to fill in');
        // None of these snippets inserts a literal dollar: one left over is snippet syntax the expansion missed.
        for (const { text } of expansions(snippet)) assert.doesNotMatch(text, /\$/, text);
      });
    }

    it('leave names and images to the user: placeholders, except the pre-puller\'s helper images', () => {
      const pod = HOSTS[1];
      for (const snippet of SNIPPETS.filter((candidate) => candidate.placement !== 'container-fields')) {
        const body = snippet.lines.join('\n');
        const document = snippet.placement === 'document';
        const text = document ? expansions(snippet)[0].text : pod.wrap(pod.itemIndent + expansions(snippet, pod.itemIndent)[0].text);
        const value = parseAllDocuments(text)[0].toJS();
        // A KubeletConfiguration is a file on the node, with no metadata.
        if (document && value.kind !== 'KubeletConfiguration') assert.match(body, /^ {2}name: \$\{\d+:/m, `${snippet.title}: metadata.name is a placeholder`);
        const images: string[] = [
          ...containersOf(text).map(({ container }) => container.image),
          ...(value.kind === 'ImageCache' ? value.spec.cacheSpec.flatMap((entry: { images: string[] }) => entry.images) : []),
        ];
        if (value.kind !== 'KubeletConfiguration') assert.ok(images.length > 0, `${snippet.title}: images found`);
        // An image that the expansion holds but the body does not spell out came from placeholders.
        for (const image of images) if (!FIXED_IMAGES.has(image)) assert.ok(!body.includes(image), `${snippet.title}: ${image} is written out, not a placeholder`);
      }
    });

    it('prefixes are unique', () => {
      const prefixes = SNIPPETS.flatMap((snippet) => snippet.prefixes);
      assert.deepEqual(prefixes.filter((prefix, index) => prefixes.indexOf(prefix) !== index), []);
    });
  });

  describe('whole-object snippets', () => {
    for (const snippet of SNIPPETS.filter((candidate) => candidate.placement === 'document')) {
      it(`${snippet.title} (${snippet.prefixes.join(', ')}) parses, is valid and lints clean`, () => {
        for (const { choice, text } of expansions(snippet)) {
          const label = `choice ${choice}:\n${text}`;
          const docs = parseAllDocuments(text);
          assert.equal(docs.length, 1, label);
          const [doc] = docs;
          assert.deepEqual([...doc.errors, ...doc.warnings].map((problem) => problem.message), [], label);
          const value = doc.toJS();
          const id = `${value.apiVersion} ${value.kind}`;
          assert.ok(isAnalysedKind(value.kind) || id in KNOWN_CUSTOM_RESOURCES, `${id} is neither a kind Podstart reads nor a known custom resource`);

          assert.deepEqual(problemsOf(text), [], label);
          const result = analyzeText({ text });
          if (id in KNOWN_CUSTOM_RESOURCES) {
            assert.deepEqual(KNOWN_CUSTOM_RESOURCES[id](value), [], label);
          } else if (value.kind === 'KubeletConfiguration') {
            assert.equal(result.kubeletConfigCount, 1, label);
            assert.deepEqual(validateKubeletConfiguration(value).map((problem) => `${problem.path.join('.')}: ${problem.message}`), [], label);
          } else {
            assert.equal(result.workloadCount, 1, label);
            const type = modelTypeOf(value.apiVersion, value.kind);
            assert.ok(type, `a client-node type for ${id}`);
            assert.deepEqual(kubernetesFieldProblems(models, value, type), [], label);
            assert.deepEqual(adviceProblems(text), [], label);
          }
        }
      });
    }
  });

  describe('container-level snippets', () => {
    for (const snippet of SNIPPETS.filter((candidate) => candidate.placement !== 'document')) {
      for (const host of HOSTS) {
        it(`${snippet.title} (${snippet.prefixes.join(', ')}) typed in ${host.name} lands in the container and lints clean`, () => {
          const fields = snippet.placement === 'container-fields';
          const cursorIndent = fields ? `${host.itemIndent}  ` : host.itemIndent;
          for (const { choice, text: typed } of expansions(snippet, cursorIndent)) {
            const text = host.wrap(fields ? hostContainer(host.itemIndent) + typed : host.itemIndent + typed);
            const label = `choice ${choice}:\n${text}`;
            assert.deepEqual(problemsOf(text), [], label);
            assert.equal(analyzeText({ text }).workloadCount, 1, label);
            const value = parseAllDocuments(text)[0].toJS();
            assert.deepEqual(kubernetesFieldProblems(models, value, modelTypeOf(value.apiVersion, value.kind)!), [], label);
            assert.deepEqual(adviceProblems(text), [], label);

            // The snippet's own YAML, parsed alone, is exactly what the container got: nothing landed at the wrong depth.
            const alone = parseAllDocuments(expansions(snippet)[choice].text)[0];
            assert.deepEqual(alone.errors, []);
            const [container, ...others] = containersOf(text).map((entry) => entry.container);
            assert.deepEqual(others, [], label);
            if (fields) {
              assert.ok(isMap(alone.contents), 'container fields are a map');
              for (const [key, field] of Object.entries(alone.toJS())) assert.deepEqual(container[key], field, `${key} in\n${text}`);
            } else {
              assert.ok(isSeq(alone.contents), 'a container item is a list item');
              assert.deepEqual(container, alone.toJS()[0], label);
            }
          }
        });
      }
    }
  });

  it('the README lists every snippet prefix', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const snippet of SNIPPETS) {
      const prefix = snippet.prefixes.find((candidate) => candidate.startsWith(PREFIX))!;
      assert.ok(readme.includes(`| \`${prefix}\``), `README row for ${prefix}`);
    }
  });
});
