/**
 * package.json's `contributes` is generated from the rule catalog (scripts/generate-manifest.ts):
 * adding a rule without regenerating it fails here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../core/analyze';
import { ALL_RULES } from '../../rules';
import { ACTIVATION_EVENTS, buildContributes, CAPABILITIES, PACKAGE_JSON, regeneratedPackageJson, SNIPPETS_FILE } from '../../scripts/generate-manifest';

const manifest = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8'));

describe('extension manifest', () => {
  it('has the contributes and activation events that scripts/generate-manifest.ts generates (run it after changing rules)', () => {
    assert.deepEqual(manifest.contributes, buildContributes());
    assert.deepEqual(manifest.activationEvents, ACTIVATION_EVENTS);
    assert.deepEqual(manifest.capabilities, CAPABILITIES);
    assert.equal(regeneratedPackageJson(readFileSync(PACKAGE_JSON, 'utf8')), readFileSync(PACKAGE_JSON, 'utf8'));
  });

  it('describes every rule in podstart.rules, with its severities and typed options', () => {
    const rules = manifest.contributes.configuration.properties['podstart.rules'];
    assert.deepEqual(Object.keys(rules.properties).sort(), ALL_RULES.map((rule) => rule.meta.id).sort());
    for (const rule of ALL_RULES) {
      const property = rules.properties[rule.meta.id];
      assert.equal(property.default, rule.meta.defaultSeverity);
      assert.ok(property.markdownDescription.includes(rule.meta.description));
      const [severity, object] = property.anyOf;
      assert.deepEqual(severity.enum, ['error', 'warning', 'info', 'hint', 'off']);
      assert.deepEqual(Object.keys(object.properties.options.properties).sort(), Object.keys(rule.meta.options).sort());
    }
  });

  it('scopes the analysis settings to resources and documents them in markdown', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const key of ['podstart.enable', 'podstart.kubernetesVersion', 'podstart.maxFileSize', 'podstart.rules']) {
      assert.equal(properties[key].scope, 'resource', key);
      assert.ok(properties[key].markdownDescription, key);
    }
    assert.equal(properties['podstart.kubernetesVersion'].default, '1.34');
    assert.equal(properties['podstart.maxFileSize'].default, 5242880);
    assert.deepEqual(properties['podstart.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  it('keeps registry lookups off by default, out of workspace settings, and out of untrusted workspaces', () => {
    const properties = manifest.contributes.configuration.properties;
    const enabled = properties['podstart.registry.enabled'];
    assert.equal(enabled.type, 'boolean');
    assert.equal(enabled.default, false, 'sending image names to registries is opt-in');
    // `machine`: user or remote settings only, so a cloned repository's .vscode/settings.json cannot turn it on.
    assert.equal(enabled.scope, 'machine');
    assert.equal(properties['podstart.registry.insecureRegistries'].scope, 'machine');
    assert.deepEqual(properties['podstart.registry.insecureRegistries'].default, []);
    assert.equal(properties['podstart.registry.platform'].default, 'linux/amd64');
    assert.match('linux/arm64/v8', new RegExp(properties['podstart.registry.platform'].pattern));
    assert.match(enabled.markdownDescription, /trusted workspaces/);
    // Analysis still works in Restricted Mode; the registry settings are ignored there.
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'podstart.registry.enabled',
      'podstart.registry.insecureRegistries',
      'podstart.registry.platform',
      'podstart.kubeconfig',
      'podstart.cluster.context',
      'podstart.cluster.namespace',
      'podstart.timings.snapshot',
    ]);
    const client = readFileSync(path.join(__dirname, '..', '..', 'client', 'configuration.ts'), 'utf8');
    // And the client sends the server only the user's own values of the two that matter.
    assert.match(client, /enabled: userValue<boolean>\(config, 'registry\.enabled'\) \?\? false/);
    assert.match(client, /insecureRegistries: userValue<string\[\]>\(config, 'registry\.insecureRegistries'\)/);
  });

  it('lets only the user choose the kubeconfig and its context, and keeps a repository\'s cluster settings out of untrusted workspaces', () => {
    const properties = manifest.contributes.configuration.properties;
    // Which kubeconfig and context are used decides whose credentials (and which exec plugin) run.
    assert.equal(properties['podstart.kubeconfig'].scope, 'machine');
    assert.equal(properties['podstart.cluster.context'].scope, 'machine');
    assert.equal(properties['podstart.timings.enabled'].default, true);
    assert.equal(properties['podstart.timings.refreshInterval'].default, 0);
    assert.match('6h', new RegExp(properties['podstart.timings.window'].pattern));
    assert.match('1h30m', new RegExp(properties['podstart.timings.window'].pattern));
    assert.doesNotMatch('6 hours', new RegExp(properties['podstart.timings.window'].pattern));
    const client = readFileSync(path.join(__dirname, '..', '..', 'client', 'configuration.ts'), 'utf8');
    assert.match(client, /kubeconfig: userValue<string>\(config, 'kubeconfig'\)/);
    assert.match(client, /context: userValue<string>\(config, 'cluster\.context'\)/);
  });

  it('contributes the Podstart commands, no language, and schemas only for .podstart.yaml and kubelet configurations', () => {
    assert.deepEqual(
      manifest.contributes.commands.map((command: { command: string; category: string }) => `${command.category}: ${command.command}`),
      [
        'Podstart: podstart.showOutput',
        'Podstart: podstart.restartServer',
        'Podstart: podstart.showRules',
        'Podstart: podstart.showRuleDoc',
        'Podstart: podstart.fixAll',
        'Podstart: podstart.showStartupWaterfall',
        'Podstart: podstart.refreshTimings',
        'Podstart: podstart.selectClusterContext',
      ],
    );
    for (const clash of ['languages', 'grammars']) assert.equal(manifest.contributes[clash], undefined, clash);
    // No schema for Kubernetes manifests, so redhat.vscode-yaml keeps those to itself; the kubelet schema
    // passes every kind but KubeletConfiguration, so a kubeadm file's other documents are untouched.
    assert.deepEqual(manifest.contributes.yamlValidation, [
      { fileMatch: ['.podstart.yaml'], url: './schemas/podstart-config.schema.json' },
      { fileMatch: ['*kubelet*.yaml', '*kubelet*.yml'], url: './schemas/kubelet-config.schema.json' },
    ]);
    assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: ['*kubelet*.json'], url: './schemas/kubelet-config.schema.json' }]);
    for (const schema of ['podstart-config.schema.json', 'kubelet-config.schema.json']) assert.ok(existsSync(path.join(__dirname, '..', '..', 'schemas', schema)), schema);
    assert.deepEqual(manifest.activationEvents, ['onLanguage:yaml', 'onLanguage:dockerfile', 'onLanguage:json', 'workspaceContains:**/.podstart.yaml']);
    const clientSource = ['commands.ts', 'rule-docs.ts', 'rule-list.ts'].map((file) => readFileSync(path.join(__dirname, '..', '..', 'client', file), 'utf8')).join('\n');
    for (const command of ['podstart.showOutput', 'podstart.restartServer', 'podstart.showRules', 'podstart.fixAll']) assert.ok(clientSource.includes(`'${command}'`), `client registers ${command}`);
  });

  it('activates, fixes and syncs documents for YAML, Dockerfiles and JSON alike', () => {
    const { commands, menus, codeActions } = manifest.contributes;
    const fixAll = commands.find((command: { command: string }) => command.command === 'podstart.fixAll');
    const when = 'editorLangId == yaml || editorLangId == dockerfile || editorLangId == json';
    assert.equal(fixAll.enablement, when);
    assert.deepEqual(menus.commandPalette, [{ command: 'podstart.fixAll', when }]);
    assert.deepEqual(codeActions.map((entry: { languages: string[] }) => entry.languages), [['yaml', 'dockerfile', 'json']]);
    const client = (file: string) => readFileSync(path.join(__dirname, '..', '..', 'client', file), 'utf8');
    // The client syncs what the manifest activates on, and fixes what the command is enabled for.
    assert.match(client('language-client.ts'), /\{ scheme: 'file', language: 'dockerfile' \}/);
    assert.match(client('language-client.ts'), /\{ scheme: 'file', pattern: DOCKERFILE_GLOB \}/);
    assert.match(client('language-client.ts'), /\{ scheme: 'file', language: 'json' \}/);
    assert.match(client('commands.ts'), /FIXABLE_LANGUAGES = \['yaml', 'dockerfile', 'json'\]/);
  });

  describe('snippets', () => {
    const snippets: Record<string, { prefix: string; body: string[]; description: string }> = JSON.parse(
      readFileSync(path.join(path.dirname(PACKAGE_JSON), SNIPPETS_FILE), 'utf8'),
    );
    /** A snippet as VS Code inserts it when every placeholder keeps its default, at `indent`. */
    const expand = (prefix: string, indent: string) => {
      const snippet = Object.values(snippets).find((candidate) => candidate.prefix === prefix);
      assert.ok(snippet, `a snippet with prefix ${prefix}`);
      return snippet.body.map((line) => indent + line.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '')).join('\n');
    };
    const deployment = (containers: string) => `apiVersion: apps/v1
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
`;

    it('contributes the startup snippets for YAML', () => {
      assert.deepEqual(manifest.contributes.snippets, [{ language: 'yaml', path: `./${SNIPPETS_FILE}` }]);
      assert.deepEqual(Object.values(snippets).map((snippet) => snippet.prefix).sort(), ['container-fast-start', 'startupProbe']);
      for (const snippet of Object.values(snippets)) assert.ok(snippet.description.length > 20, snippet.prefix);
    });

    it('inserts YAML that Podstart finds nothing to fix in', () => {
      const withProbe = deployment(`        - name: web\n          image: registry.example.com/storefront:4.2.0\n${expand('startupProbe', '          ')}`);
      const fastStart = deployment(expand('container-fast-start', '        '));
      for (const text of [withProbe, fastStart]) {
        const result = analyzeText({ text });
        assert.equal(result.workloadCount, 1, text);
        assert.deepEqual(result.findings.map((finding) => `${finding.ruleId}: ${finding.message}`), [], text);
      }
      assert.match(fastStart, /^ {10}startupProbe:\n {12}httpGet:\n {14}path: \/healthz\n {14}port: 8080$/m);
    });
  });
});
