import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeText } from '../../core/analyze';
import { CONFIG_FILE_NAME, findConfigFile, isIgnoredPath, parseConfigText } from '../../core/config-file';
import { mergeSettings } from '../../core/settings';
import { CONFIG_SCHEMA_PATH, renderConfigSchema } from '../../scripts/generate-config-schema';

/** Each problem as "line:column text → message", 1-based, with the underlined text. */
function problemsOf(text: string): string[] {
  return parseConfigText(text).problems.map((p) => `${p.range.start.line + 1}:${p.range.start.character + 1} ${text.slice(p.start, p.end)} → ${p.message}`);
}

describe('core/config-file', () => {
  it('reads a valid configuration without problems', () => {
    const text = `# Our clusters run 1.31.
kubernetesVersion: "1.31"
maxFileSize: 1048576
ignore:
  - charts/
  - "**/*.generated.yaml"
rules:
  mutable-image-tag: error
  cpu-limit-throttles-startup:
    severity: info
    options:
      minCpuLimit: 500m
`;
    const { settings, problems } = parseConfigText(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      kubernetesVersion: '1.31',
      maxFileSize: 1048576,
      ignore: ['charts/', '**/*.generated.yaml'],
      rules: { 'mutable-image-tag': 'error', 'cpu-limit-throttles-startup': { severity: 'info', options: { minCpuLimit: '500m' } } },
    });
  });

  it('treats an empty file or one with only comments as no settings', () => {
    assert.deepEqual(parseConfigText(''), { settings: {}, problems: [] });
    assert.deepEqual(parseConfigText('# nothing yet\n'), { settings: {}, problems: [] });
  });

  it('underlines each mistake where it is written, with a message that says what to write', () => {
    const text = `kubernetesVersion: 1.30
rules:
  pull-always-immutable-image: loud
  no-such-rule: off
  cpu-limit-throttles-startup:
    options:
      minCpuLimit: 5
      typo: 1
colour: red
`;
    assert.deepEqual(problemsOf(text), [
      '1:20 1.30 → Quote the Kubernetes version ("1.30"): unquoted, YAML reads it as the number 1.3.',
      '3:32 loud → The setting of rule `pull-always-immutable-image` must be a severity (error, warning, info, hint or off) or a map with `severity` and `options`, not "loud".',
      '4:3 no-such-rule → Unknown rule `no-such-rule`. Run `podstart rules` for the list of rule ids.',
      '7:20 5 → Option `minCpuLimit` of rule `cpu-limit-throttles-startup` must be a string, not 5.',
      '8:7 typo → Rule `cpu-limit-throttles-startup` has no option `typo`.',
      '9:1 colour → Unknown setting `colour`. Podstart reads kubernetesVersion, maxFileSize, ignore and rules.',
    ]);
  });

  it('keeps the valid settings of a file that has problems', () => {
    const { settings } = parseConfigText(`kubernetesVersion: "1.29"
maxFileSize: -1
rules:
  mutable-image-tag: error
  pull-always-immutable-image: loud
  cpu-limit-throttles-startup:
    severity: info
    options: { minCpuLimit: 5 }
`);
    // The bad options fall back to their defaults, but the rule's severity still applies.
    assert.deepEqual(settings, { kubernetesVersion: '1.29', rules: { 'mutable-image-tag': 'error', 'cpu-limit-throttles-startup': 'info' } });
  });

  it('reports invalid YAML at the error and a non-map file as a whole', () => {
    assert.match(problemsOf('rules: [\n')[0], /^2:1 {2}?.*Invalid YAML/);
    assert.deepEqual(problemsOf('- mutable-image-tag\n'), ['1:1 - mutable-image-tag\n → The configuration must be a map of settings (kubernetesVersion, maxFileSize, ignore, rules).']);
    assert.match(problemsOf('rules: {}\nrules: {}\n')[0], /^2:1 rules → Invalid YAML: Map keys must be unique/);
    assert.match(problemsOf('rules: {}\n---\nignore: []\n')[0], /Invalid YAML: Source contains multiple documents/);
  });

  it('refuses a configuration nested too deep to parse safely, with the reason', () => {
    const { problems, settings } = parseConfigText(`rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /^Invalid YAML: collections nested more than \d+ levels deep/);
    assert.deepEqual(settings, {});
  });

  it('bounds an alias bomb instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 9; i += 1) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const started = Date.now();
    const { problems, settings } = parseConfigText(bomb.join('\n'));
    assert.ok(Date.now() - started < 2000);
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /Cannot read the configuration: .*alias/i);
    assert.deepEqual(settings, {});
  });

  it('its settings change what the engine reports', () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx\n';
    const before = analyzeText({ text: manifest }).findings.filter((f) => f.ruleId === 'mutable-image-tag');
    assert.equal(before[0]?.severity, 'warning');
    const { settings } = parseConfigText('rules:\n  mutable-image-tag: error\n');
    const after = analyzeText({ text: manifest, settings: mergeSettings(settings) }).findings.filter((f) => f.ruleId === 'mutable-image-tag');
    assert.equal(after[0]?.severity, 'error');
    const off = analyzeText({ text: manifest, settings: mergeSettings(parseConfigText('rules:\n  mutable-image-tag: off\n').settings) }).findings;
    assert.equal(off.filter((f) => f.ruleId === 'mutable-image-tag').length, 0);
  });

  it('the shipped schema is generated from the current rule catalog', () => {
    assert.equal(readFileSync(CONFIG_SCHEMA_PATH, 'utf8'), renderConfigSchema(), 'run npm run docs');
  });

  describe('findConfigFile', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'podstart-config-'));
      mkdirSync(path.join(root, 'repo', 'deploy', 'prod'), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds the nearest file above a folder', () => {
      writeFileSync(path.join(root, 'repo', CONFIG_FILE_NAME), 'rules: {}\n');
      assert.equal(findConfigFile(path.join(root, 'repo', 'deploy', 'prod')), path.join(root, 'repo', CONFIG_FILE_NAME));
      writeFileSync(path.join(root, 'repo', 'deploy', CONFIG_FILE_NAME), 'rules: {}\n');
      assert.equal(findConfigFile(path.join(root, 'repo', 'deploy', 'prod')), path.join(root, 'repo', 'deploy', CONFIG_FILE_NAME));
    });

    it('searches no higher than the folder it is told to stop at', () => {
      writeFileSync(path.join(root, CONFIG_FILE_NAME), 'rules: {}\n');
      assert.equal(findConfigFile(path.join(root, 'repo', 'deploy'), path.join(root, 'repo')), undefined);
      assert.equal(findConfigFile(path.join(root, 'repo', 'deploy')), path.join(root, CONFIG_FILE_NAME));
    });
  });

  describe('isIgnoredPath', () => {
    const dir = path.join(path.sep, 'repo');
    const ignored = (file: string, ...patterns: string[]) => isIgnoredPath(path.join(dir, ...file.split('/')), dir, patterns);

    it('matches globs relative to the configuration folder', () => {
      assert.equal(ignored('deploy/app.generated.yaml', '**/*.generated.yaml'), true);
      assert.equal(ignored('deploy/app.yaml', '**/*.generated.yaml'), false);
      assert.equal(ignored('deploy/app.yaml', 'deploy/*.yaml'), true);
      assert.equal(ignored('other/deploy/app.yaml', 'deploy/*.yaml'), false);
    });

    it('ignores everything inside a matching folder, like .gitignore', () => {
      assert.equal(ignored('charts/redis/templates/sts.yaml', 'charts/'), true);
      assert.equal(ignored('charts/redis/templates/sts.yaml', '/charts'), true);
      assert.equal(ignored('apps/vendor/x.yaml', 'vendor'), true, 'a name without a slash matches at any depth');
      assert.equal(ignored('apps/vendored.yaml', 'vendor'), false);
    });

    it('never ignores files outside the configuration folder', () => {
      assert.equal(isIgnoredPath(path.join(path.sep, 'elsewhere', 'a.yaml'), dir, ['**']), false);
    });
  });
});
