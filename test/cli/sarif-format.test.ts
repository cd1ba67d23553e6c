import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { isCheckedFileName } from '../../cli/file-selection';
import { ALL_RULES } from '../../rules';
import { CATALOG_DB, onlyRules, ORDERS_API, REPO_ROOT, runPodstart, TempProject, type CliRun } from './harness';

const SCHEMA_PATH = path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus');

/** The SARIF 2.1.0 schema (draft-04), with its uri and date-time formats checked. */
function sarifValidator() {
  // The schema's `language` pattern is not valid with the u flag, which ajv uses by default.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
}
const validate = sarifValidator();

interface SarifRegion {
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  charOffset?: number;
  charLength?: number;
}
interface SarifArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  description?: { text: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: SarifArtifactLocation; region: SarifRegion } }>;
  fixes?: Array<{ description: { text: string }; artifactChanges: Array<{ artifactLocation: SarifArtifactLocation; replacements: Array<{ deletedRegion: SarifRegion; insertedContent?: { text: string } }> }> }>;
  properties: { stage?: string; severity: string };
}
interface SarifNotification {
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion } }>;
}
interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri: string; rules: Array<Record<string, any>> } };
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: string;
  results: SarifResult[];
  invocations: Array<{ executionSuccessful: boolean; exitCode: number; toolExecutionNotifications?: SarifNotification[]; toolConfigurationNotifications?: SarifNotification[] }>;
}

/** Parses the SARIF output and checks it against the schema. */
function validSarif(run: CliRun): SarifRun {
  const log = JSON.parse(run.stdout) as { version: string; runs: SarifRun[] };
  assert.ok(validate(log), `invalid SARIF: ${JSON.stringify(validate.errors?.slice(0, 5), null, 2)}`);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  return log.runs[0];
}

/** Applies a SARIF fix's replacements (whose regions refer to the original text). */
function applySarifFix(text: string, fix: NonNullable<SarifResult['fixes']>[number]): string {
  const replacements = fix.artifactChanges.flatMap((change) => change.replacements).sort((a, b) => b.deletedRegion.charOffset! - a.deletedRegion.charOffset!);
  for (const { deletedRegion, insertedContent } of replacements) {
    text = text.slice(0, deletedRegion.charOffset) + (insertedContent?.text ?? '') + text.slice(deletedRegion.charOffset! + deletedRegion.charLength!);
  }
  return text;
}

describe('podstart check --format sarif', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({ 'deploy/orders-api.yaml': ORDERS_API, 'deploy/catalog-db.yaml': CATALOG_DB });
  });
  afterEach(() => project.dispose());

  it('describes the tool and every rule: descriptions, startup cost, documentation, level and stage', async () => {
    const run = validSarif(await project.run(['check', '--format', 'sarif']));
    const { driver } = run.tool;
    const { version } = require('../../package.json') as { version: string };
    assert.equal(driver.name, 'podstart');
    assert.equal(driver.version, version);
    // Links point at the installed package's own pages, which exist and work offline.
    assert.ok(existsSync(fileURLToPath(driver.informationUri)), driver.informationUri);
    assert.deepEqual(driver.rules.slice(0, ALL_RULES.length).map((rule) => rule.id), ALL_RULES.map((rule) => rule.meta.id));
    for (const [i, { meta }] of ALL_RULES.entries()) {
      const descriptor = driver.rules[i];
      assert.equal(descriptor.shortDescription.text, meta.description.replace(/`/g, ''));
      assert.ok(descriptor.fullDescription.text.includes(meta.startupCost.replace(/`/g, '')), meta.id);
      assert.ok(descriptor.help.text.includes(meta.startupCost.replace(/`/g, '')), meta.id);
      assert.match(descriptor.helpUri, new RegExp(`^file://.*/docs/rules/${meta.id}\\.md$`));
      assert.ok(existsSync(fileURLToPath(descriptor.helpUri)), descriptor.helpUri);
      assert.equal(descriptor.defaultConfiguration.level, { error: 'error', warning: 'warning', info: 'note', hint: 'note' }[meta.defaultSeverity]);
      assert.equal(descriptor.properties.stage, meta.stage);
    }
  });

  it('gives each finding its rule, level, message and 1-based region, relative to the working folder', async () => {
    const run = validSarif(await project.run(['check', '--format', 'sarif', ...onlyRules('mutable-image-tag', 'pull-always-immutable-image'), '--rule', 'mutable-image-tag=error']));
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(project.root).href + '/');
    const summary = run.results.map((result) => {
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      return `${artifactLocation.uriBaseId}/${artifactLocation.uri} ${region.startLine}:${region.startColumn}-${region.endLine}:${region.endColumn} ${result.ruleId}#${result.ruleIndex} ${result.level}`;
    });
    const index = (id: string) => ALL_RULES.findIndex((rule) => rule.meta.id === id);
    assert.deepEqual(summary, [
      `%SRCROOT%/deploy/catalog-db.yaml 21:28-21:34 pull-always-immutable-image#${index('pull-always-immutable-image')} warning`,
      `%SRCROOT%/deploy/orders-api.yaml 16:18-16:48 mutable-image-tag#${index('mutable-image-tag')} error`,
      `%SRCROOT%/deploy/orders-api.yaml 19:28-19:34 pull-always-immutable-image#${index('pull-always-immutable-image')} warning`,
    ]);
    assert.match(run.results[1].message.text, /^Container api uses the mutable tag ghcr\.io\/acme\/orders-api:latest/);
    assert.equal(run.results[1].properties.stage, 'image-pull');
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 1 }]);
  });

  it('gives the safe fixes as replacements that produce the fixed text, and no fix for the others', async () => {
    const run = validSarif(await project.run(['check', 'deploy/catalog-db.yaml', '--format', 'sarif', ...onlyRules('recursive-volume-ownership-change', 'pull-always-immutable-image', 'cpu-limit-throttles-startup')]));
    const byRule = new Map(run.results.map((result) => [result.ruleId, result]));
    const ownership = byRule.get('recursive-volume-ownership-change')!;
    assert.equal(ownership.fixes!.length, 1);
    assert.deepEqual(ownership.fixes![0].artifactChanges[0].artifactLocation, { uri: 'deploy/catalog-db.yaml', uriBaseId: '%SRCROOT%' });
    assert.equal(applySarifFix(CATALOG_DB, ownership.fixes![0]), CATALOG_DB.replace('# the postgres group\n', '# the postgres group\n        fsGroupChangePolicy: OnRootMismatch\n'));
    const pullPolicy = byRule.get('pull-always-immutable-image')!;
    assert.equal(applySarifFix(CATALOG_DB, pullPolicy.fixes![0]), CATALOG_DB.replace('imagePullPolicy: Always', 'imagePullPolicy: IfNotPresent'));
    assert.equal(byRule.get('cpu-limit-throttles-startup')!.fixes, undefined);
  });

  it('reports unreadable paths and configuration mistakes as notifications of an unsuccessful invocation', async () => {
    project.write('.podstart.yaml', 'rules:\n  mutable-image-tag: loud\n');
    const cli = await project.run(['check', 'deploy', 'missing.yaml', '--format', 'sarif']);
    assert.equal(cli.code, 2);
    const run = validSarif(cli);
    assert.ok(run.results.length > 0, 'the readable files are still checked');
    const [invocation] = run.invocations;
    assert.equal(invocation.executionSuccessful, false);
    assert.equal(invocation.exitCode, 2);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      { level: 'error', message: { text: 'Cannot read: no such file or directory.' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'missing.yaml', uriBaseId: '%SRCROOT%' } } }] },
    ]);
    const [problem] = invocation.toolConfigurationNotifications!;
    assert.equal(problem.level, 'error');
    assert.match(problem.message.text, /mutable-image-tag/);
    assert.deepEqual(problem.locations[0].physicalLocation.artifactLocation, { uri: '.podstart.yaml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(problem.locations[0].physicalLocation.region, { startLine: 2, startColumn: 22, endLine: 2, endColumn: 26 });
  });

  it('locates standard input without a name by description', async () => {
    const run = validSarif(await project.run(['check', '-', '--format', 'sarif', ...onlyRules('mutable-image-tag')], { stdin: ORDERS_API }));
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { description: { text: 'standard input' } });
  });

  (existsSync(CORPUS) ? it : it.skip)('checks the whole corpus into valid SARIF', async function () {
    this.timeout(120_000);
    const cli = await runPodstart(['check', CORPUS, '--format', 'sarif'], { cwd: REPO_ROOT });
    assert.ok(cli.code === 0 || cli.code === 1, `exit ${cli.code}: ${cli.stderr}`);
    assert.equal(cli.stderr, '');
    const run = validSarif(cli);
    assert.ok(run.results.length > 0);
    assert.equal(run.invocations[0].executionSuccessful, true);
    for (const result of run.results) {
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      const uri = result.locations[0].physicalLocation.artifactLocation.uri!;
      assert.match(uri, /^file:\/\/\//);
      // Only the files a folder walk picks: manifests and files named like Dockerfiles (corpus/dockerfiles/*.Dockerfile).
      assert.ok(isCheckedFileName(path.basename(fileURLToPath(uri))), uri);
    }
  });
});
