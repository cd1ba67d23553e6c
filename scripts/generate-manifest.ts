/**
 * Generates package.json's `contributes` from the code it describes: the settings (with one
 * `podstart.rules` entry per rule in the catalog, its severities and typed options), the
 * commands, and the fix-on-save code action kind; `activationEvents`, from the languages the
 * client analyses; and `capabilities.untrustedWorkspaces`, which names the registry settings a
 * workspace may not set while it is untrusted. Only those three fields are written; every other
 * field of package.json is left as it is.
 *
 *   node --import tsx scripts/generate-manifest.ts           write package.json
 *   node --import tsx scripts/generate-manifest.ts --check   exit 1 if it is out of date
 *
 * test/manifest/contributes.test.ts fails when a rule is added without regenerating.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSION_PATTERN } from '../core/kubernetes-version';
import type { Rule } from '../core/rule';
import { DEFAULT_PLATFORM, formatPlatform } from '../core/registry/platform';
import { DEFAULT_MAX_FILE_SIZE } from '../core/settings';
import { rulesPropertiesSchema } from '../core/settings-schema';
import { ALL_RULES } from '../rules';
import { GENERATORS } from '../core/generate';
import { ADD_STARTUP_PROBE_COMMAND, generatorCommandId, SHOW_RULE_DOC_COMMAND, SHOW_STARTUP_WATERFALL_COMMAND, SOURCE_FIX_ALL_KIND } from '../server/protocol';
import { MIN_REFRESH_INTERVAL_SECONDS } from '../server/timings-settings';

/** The snippets file, relative to the extension folder (shipped: see .vscodeignore). */
export const SNIPPETS_FILE = 'snippets/kubernetes-startup.json';

/**
 * Languages whose documents Podstart analyses and fixes: YAML manifests, Dockerfiles, and JSON (a
 * kubelet's config.json, `kubectl get -o json` output); the server skips JSON without Kubernetes objects.
 */
export const ANALYSED_LANGUAGES = ['yaml', 'dockerfile', 'json'] as const;

/** File names redhat.vscode-yaml (and VS Code's JSON support) give the KubeletConfiguration schema. */
export const KUBELET_CONFIG_FILE_MATCH = { yaml: ['*kubelet*.yaml', '*kubelet*.yml'], json: ['*kubelet*.json'] };
const KUBELET_SCHEMA_URL = './schemas/kubelet-config.schema.json';

/** When VS Code starts the extension: a YAML, Dockerfile or JSON file opens, or the workspace has a .podstart.yaml. */
export const ACTIVATION_EVENTS = [...ANALYSED_LANGUAGES.map((language) => `onLanguage:${language}`), 'workspaceContains:**/.podstart.yaml'];

/** `editorLangId == yaml || editorLangId == dockerfile`: where the fix-all command applies. */
const ANALYSED_EDITOR = ANALYSED_LANGUAGES.map((language) => `editorLangId == ${language}`).join(' || ');

/**
 * Settings that make the editor talk to registries or clusters, or read files a repository names.
 * `machine` scope keeps the ones that choose credentials (registry access, the kubeconfig, its
 * context) out of workspace and folder settings (a cloned repository cannot turn lookups on or pick
 * whose credentials are used), and Restricted Mode ignores any workspace value of all of them
 * (`restrictedConfigurations`).
 */
export const RESTRICTED_SETTINGS = [
  'podstart.registry.enabled',
  'podstart.registry.insecureRegistries',
  'podstart.registry.platform',
  'podstart.kubeconfig',
  'podstart.cluster.context',
  'podstart.cluster.namespace',
  'podstart.timings.snapshot',
];

/** The commands of the startup timings (category Podstart). */
const TIMINGS_COMMANDS = [
  { command: SHOW_STARTUP_WATERFALL_COMMAND, title: 'Show Startup Waterfall', category: 'Podstart' },
  { command: 'podstart.refreshTimings', title: 'Refresh Startup Timings', category: 'Podstart' },
  { command: 'podstart.selectClusterContext', title: 'Select Cluster Context', category: 'Podstart' },
];

/** One command per generator (titles from the generators), then adding a startup probe at the cursor. */
const GENERATOR_COMMANDS = [
  ...GENERATORS.map((generator) => ({ command: generatorCommandId(generator.id), title: generator.title, category: 'Podstart' })),
  { command: ADD_STARTUP_PROBE_COMMAND, title: 'Add Startup Probe from Readiness Probe', category: 'Podstart', enablement: 'editorLangId == yaml' },
];

/** The Explorer's "Podstart: Generate" submenu, on folders and YAML files: the generators that read manifests, over the selection. */
const GENERATE_SUBMENU = 'podstart.generate';
const EXPLORER_MANIFESTS = 'explorerResourceIsFolder || resourceExtname =~ /^\\.ya?ml$/';

/** package.json `capabilities`: analysis works in Restricted Mode; registry lookups do not. */
export const CAPABILITIES = {
  untrustedWorkspaces: {
    supported: 'limited',
    description:
      'Analysis reads only the open files and works in Restricted Mode. Image sizes and digests from registries (podstart.registry.enabled) and startup timings from a cluster (podstart.timings.enabled) need a trusted workspace: Podstart reads no kubeconfig for an untrusted one.',
    restrictedConfigurations: RESTRICTED_SETTINGS,
  },
  virtualWorkspaces: {
    supported: 'limited',
    description: 'Analysis runs on open files; .podstart.yaml is read only from file-system workspaces.',
  },
};

export function buildContributes(rules: readonly Rule<any>[] = ALL_RULES): Record<string, unknown> {
  const ruleProperties = rulesPropertiesSchema(rules);
  return {
    configuration: {
      title: 'Podstart',
      properties: {
        'podstart.enable': {
          type: 'boolean',
          default: true,
          scope: 'resource',
          order: 0,
          markdownDescription: 'Analyse Kubernetes manifests and Dockerfiles for what slows pod startup. When off, Podstart shows no findings for the folder or file it applies to.',
        },
        'podstart.kubernetesVersion': {
          type: 'string',
          default: DEFAULT_KUBERNETES_VERSION,
          pattern: KUBERNETES_VERSION_PATTERN,
          patternErrorMessage: 'A Kubernetes release such as "1.33".',
          scope: 'resource',
          order: 1,
          markdownDescription: 'The Kubernetes release your clusters run (for example `1.33`). Advice that depends on the release (native sidecars, startup probes, in-place resize) follows it. Overrides `kubernetesVersion` in `.podstart.yaml` only when set here explicitly.',
        },
        'podstart.maxFileSize': {
          type: 'number',
          default: DEFAULT_MAX_FILE_SIZE,
          minimum: 0,
          scope: 'resource',
          order: 2,
          markdownDescription: 'Files larger than this many bytes are not analysed; Podstart shows one notice on them instead. The default is 5 MB (5242880).',
        },
        'podstart.rules': {
          type: 'object',
          default: {},
          scope: 'resource',
          order: 3,
          markdownDescription:
            'Severity (`error`, `warning`, `info`, `hint` or `off`) or `{ "severity": ..., "options": { ... } }` per rule id. These settings override the rules section of `.podstart.yaml`, which overrides each rule\'s default.',
          properties: ruleProperties,
          additionalProperties: false,
        },
        'podstart.registry.enabled': {
          type: 'boolean',
          default: false,
          scope: 'machine',
          order: 4,
          markdownDescription:
            "Ask the registries that serve your images for their compressed size and digest, for the `large-image` and `dockerfile-large-base-image` findings and the *Pin to digest* quick fix. Sends the names of the images in the open files to those registries, with the credentials in `~/.docker/config.json` (plain logins and identity tokens; credential helpers are not run). Only in trusted workspaces, and only from your user settings: a repository's `.vscode/settings.json` cannot turn it on. Answers are cached for an hour; an unreachable registry is logged in the Podstart output.",
        },
        'podstart.registry.platform': {
          type: 'string',
          default: formatPlatform(DEFAULT_PLATFORM),
          pattern: '^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?$',
          patternErrorMessage: 'A platform such as "linux/amd64" or "linux/arm64".',
          scope: 'window',
          order: 5,
          markdownDescription: 'The platform of your nodes (`os/architecture[/variant]`): for a multi-platform image, the size given is that of the image a node of this platform pulls.',
        },
        'podstart.registry.insecureRegistries': {
          type: 'array',
          items: { type: 'string' },
          default: [],
          scope: 'machine',
          order: 6,
          markdownDescription:
            'Registry hosts (`host` or `host:port`) Podstart may reach over plain http. Loopback registries (`localhost`, `127.0.0.1`) always may; every other registry is reached over https. User settings only.',
        },
        'podstart.kubeconfig': {
          type: 'string',
          default: '',
          scope: 'machine',
          order: 7,
          markdownDescription:
            'The kubeconfig file startup timings are read with. Empty: the files of `KUBECONFIG`, else `~/.kube/config`, as kubectl picks them. A relative path is taken from your home folder. User settings only, and only in trusted workspaces: a kubeconfig can run programs to get credentials (`exec` plugins).',
        },
        'podstart.cluster.context': {
          type: 'string',
          default: '',
          scope: 'machine',
          order: 8,
          markdownDescription: "The kubeconfig context to read startup timings from. Empty: the kubeconfig's current context. *Podstart: Select Cluster Context* picks one. User settings only.",
        },
        'podstart.cluster.namespace': {
          type: 'string',
          default: '',
          pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$',
          patternErrorMessage: 'A namespace name such as "shop".',
          scope: 'window',
          order: 9,
          markdownDescription: "The namespace of manifests that name none. Empty: the context's namespace (`default` when it sets none).",
        },
        'podstart.timings.enabled': {
          type: 'boolean',
          default: true,
          scope: 'window',
          order: 10,
          markdownDescription:
            'Show a code lens above each Deployment, StatefulSet, DaemonSet, Job, CronJob and Pod with how long its pods took to start in the cluster (p50 and p95 to Ready, the largest phase, the pods counted); clicking it opens the startup waterfall. Only in trusted workspaces; Podstart only reads (list, get and watch), and never delays diagnostics.',
        },
        'podstart.timings.window': {
          type: 'string',
          default: '',
          pattern: '^(([0-9]+(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)?$',
          patternErrorMessage: 'A duration such as "30m", "6h" or "24h".',
          scope: 'window',
          order: 11,
          markdownDescription: 'Only pods created within this long before the cluster was read (`30m`, `6h`, `24h`). Empty: every pod the cluster still has.',
        },
        'podstart.timings.refreshInterval': {
          type: 'number',
          default: 0,
          minimum: 0,
          scope: 'window',
          order: 12,
          markdownDescription: `Seconds between two readings of the cluster while lenses are shown (at least ${MIN_REFRESH_INTERVAL_SECONDS}). \`0\`: only when a manifest is saved and on *Podstart: Refresh Startup Timings*. Each reading is nine list requests per namespace, whatever the number of pods.`,
        },
        'podstart.timings.snapshot': {
          type: 'string',
          default: '',
          scope: 'window',
          order: 13,
          markdownDescription: 'A snapshot file written by `podstart capture` to read startup timings from instead of a live cluster (offline, or a cluster you cannot reach from here). Relative to the workspace folder.',
        },
        'podstart.timings.nodeDetails': {
          type: 'boolean',
          default: false,
          scope: 'window',
          order: 14,
          markdownDescription:
            "Also read the kubelet's live configuration (`/configz`: does it pull one image at a time?) and its own startup and pull metrics (`/metrics`) of each node running the namespace's pods, through the API server's node proxy: two more GET requests per node, and your user needs `get` on `nodes/proxy`. Refused, they are reported as not readable, nothing else changes. The waterfall shows what they say, and the manifest gets a `cluster-serial-pulls` diagnostic where a workload's nodes pull serially.",
        },
        'podstart.timings.watch': {
          type: 'boolean',
          default: true,
          scope: 'window',
          order: 15,
          markdownDescription:
            "After reading a namespace, watch its pods, events, ReplicaSets and Jobs for changes (four long-lived GET requests per namespace, `watch` in RBAC terms, whatever the number of pods), so that the lenses, the diagnostics and an open waterfall follow a rollout as it happens. Off: the cluster is read only on save, on *Podstart: Refresh Startup Timings* and every `podstart.timings.refreshInterval` seconds. Never with `podstart.timings.snapshot`.",
        },
        'podstart.workspaceScan.enabled': {
          type: 'boolean',
          default: false,
          scope: 'window',
          order: 16,
          markdownDescription:
            "Also analyse the workspace's manifests and Dockerfiles that are not open, in the background, and show their findings in the Problems panel. Skips `node_modules`, `.git`, `files.exclude`, `.gitignore` and the `ignore` list of `.podstart.yaml`; follows changes on disk; pauses while you type; cancel it from its progress notification. Reads local files only: no registry or cluster is asked about unopened files.",
        },
        'podstart.trace.server': {
          type: 'string',
          enum: ['off', 'messages', 'verbose'],
          default: 'off',
          scope: 'window',
          order: 17,
          markdownDescription: 'Traces the communication between VS Code and the Podstart language server in the Podstart output (for bug reports).',
        },
      },
    },
    commands: [
      { command: 'podstart.showOutput', title: 'Show Output', category: 'Podstart' },
      { command: 'podstart.restartServer', title: 'Restart Language Server', category: 'Podstart' },
      { command: 'podstart.showRules', title: 'Show Rules', category: 'Podstart' },
      { command: SHOW_RULE_DOC_COMMAND, title: 'Show Rule Documentation', category: 'Podstart' },
      { command: 'podstart.fixAll', title: 'Fix All Auto-fixable Problems', category: 'Podstart', enablement: ANALYSED_EDITOR },
      ...TIMINGS_COMMANDS,
      ...GENERATOR_COMMANDS,
    ],
    submenus: [{ id: GENERATE_SUBMENU, label: 'Podstart: Generate' }],
    menus: {
      commandPalette: [
        { command: 'podstart.fixAll', when: ANALYSED_EDITOR },
        { command: ADD_STARTUP_PROBE_COMMAND, when: 'editorLangId == yaml' },
      ],
      'explorer/context': [{ submenu: GENERATE_SUBMENU, when: EXPLORER_MANIFESTS, group: '7_podstart' }],
      [GENERATE_SUBMENU]: GENERATORS.filter((generator) => generator.usesImages).map((generator) => ({ command: generatorCommandId(generator.id) })),
    },
    // redhat.vscode-yaml (when installed) offers completion and hovers in .podstart.yaml from the
    // same schema the server validates it with, and in kubelet configurations from the
    // KubeletConfiguration schema (which passes every other kind, so a kubeadm file's other documents are left alone).
    yamlValidation: [
      { fileMatch: ['.podstart.yaml'], url: './schemas/podstart-config.schema.json' },
      { fileMatch: KUBELET_CONFIG_FILE_MATCH.yaml, url: KUBELET_SCHEMA_URL },
    ],
    jsonValidation: [{ fileMatch: KUBELET_CONFIG_FILE_MATCH.json, url: KUBELET_SCHEMA_URL }],
    // Startup-friendly whole objects (Deployment, Job, GPU pod, pre-puller, ImageCache, KubeletConfiguration) and container fragments for any YAML file.
    snippets: [{ language: 'yaml', path: `./${SNIPPETS_FILE}` }],
    codeActions: [
      {
        languages: [...ANALYSED_LANGUAGES],
        actions: [
          {
            kind: SOURCE_FIX_ALL_KIND,
            title: 'Fix all auto-fixable Podstart problems',
            description: 'Applies every safe Podstart fix in the file; use it in editor.codeActionsOnSave.',
          },
        ],
      },
    ],
  };
}

export const PACKAGE_JSON = path.join(__dirname, '..', 'package.json');

/** package.json's text with `activationEvents` and `contributes` regenerated (key order and formatting kept). */
export function regeneratedPackageJson(text: string): string {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  manifest.activationEvents = ACTIVATION_EVENTS;
  manifest.capabilities = CAPABILITIES;
  manifest.contributes = buildContributes();
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (require.main === module) {
  const before = readFileSync(PACKAGE_JSON, 'utf8');
  const after = regeneratedPackageJson(before);
  if (process.argv.includes('--check')) {
    if (before !== after) {
      console.error('package.json activationEvents, capabilities or contributes is out of date: run node --import tsx scripts/generate-manifest.ts');
      process.exit(1);
    }
    console.log('package.json contributes is up to date.');
  } else if (before !== after) {
    writeFileSync(PACKAGE_JSON, after);
    console.log(`package.json contributes regenerated (${ALL_RULES.length} rules).`);
  } else {
    console.log('package.json contributes already up to date.');
  }
}
