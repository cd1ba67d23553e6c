/**
 * package.json's `contributes` is generated from the rule catalog (scripts/generate-manifest.ts):
 * adding a rule without regenerating it fails here.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GENERATORS } from '../../core/generate';
import { ALL_RULES } from '../../rules';
import { generatorCommandId } from '../../server/protocol';
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
        'Podstart: podstart.generatePrePuller',
        'Podstart: podstart.generateImageCache',
        'Podstart: podstart.generateBootstrapScript',
        'Podstart: podstart.generateKubeletConfig',
        'Podstart: podstart.addStartupProbe',
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
    assert.deepEqual(menus.commandPalette, [
      { command: 'podstart.fixAll', when },
      { command: 'podstart.addStartupProbe', when: 'editorLangId == yaml' },
    ]);
    assert.deepEqual(codeActions.map((entry: { languages: string[] }) => entry.languages), [['yaml', 'dockerfile', 'json']]);
    const client = (file: string) => readFileSync(path.join(__dirname, '..', '..', 'client', file), 'utf8');
    // The client syncs what the manifest activates on, and fixes what the command is enabled for.
    assert.match(client('language-client.ts'), /\{ scheme: 'file', language: 'dockerfile' \}/);
    assert.match(client('language-client.ts'), /\{ scheme: 'file', pattern: DOCKERFILE_GLOB \}/);
    assert.match(client('language-client.ts'), /\{ scheme: 'file', language: 'json' \}/);
    assert.match(client('commands.ts'), /FIXABLE_LANGUAGES = \['yaml', 'dockerfile', 'json'\]/);
  });

  // What the snippets insert is tested in test/snippets/snippets.test.ts.
  it('contributes the startup snippets for YAML, from a file the extension ships', () => {
    assert.deepEqual(manifest.contributes.snippets, [{ language: 'yaml', path: `./${SNIPPETS_FILE}` }]);
    assert.ok(existsSync(path.join(path.dirname(PACKAGE_JSON), SNIPPETS_FILE)));
  });

  it('contributes one command per generator, titled by the generator, and an Explorer submenu of those that read manifests', () => {
    const { commands, menus, submenus } = manifest.contributes;
    for (const generator of GENERATORS) {
      const contributed = commands.find((command: { command: string }) => command.command === generatorCommandId(generator.id));
      assert.deepEqual(contributed, { command: generatorCommandId(generator.id), title: generator.title, category: 'Podstart' });
      assert.match(generator.title, /^Generate /);
    }
    assert.deepEqual(submenus, [{ id: 'podstart.generate', label: 'Podstart: Generate' }]);
    assert.deepEqual(menus['explorer/context'], [{ submenu: 'podstart.generate', when: 'explorerResourceIsFolder || resourceExtname =~ /^\\.ya?ml$/', group: '7_podstart' }]);
    assert.deepEqual(
      menus['podstart.generate'].map((entry: { command: string }) => entry.command),
      GENERATORS.filter((generator) => generator.usesImages).map((generator) => generatorCommandId(generator.id)),
    );
    // The client registers what package.json contributes, whatever the generators are.
    assert.match(readFileSync(path.join(__dirname, '..', '..', 'client', 'generate-commands.ts'), 'utf8'), /\^podstart\\\.generate\[A-Z\]/);
  });
});
