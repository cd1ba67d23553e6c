/**
 * `podstart check` over a folder holding one hostile file beside a normal manifest: the hostile
 * file gets one clear message, the normal manifest's findings still appear, and the exit code is
 * the README's (1: a warning was found; 2: a path could not be read).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { canDropPrivileges, findingSummary, jsonReport, onlyRules, ORDERS_API, TempProject, type JsonReport } from '../cli/harness';
import { binaryBytes, invalidUtf8, manyDocuments, overTheLimit, SMALL_LIMIT, tenMegabyteLine } from './inputs';

const RULES = onlyRules('mutable-image-tag', 'pull-always-immutable-image');
const ORDERS_FINDINGS = ['orders-api.yaml 16:18 mutable-image-tag warning', 'orders-api.yaml 19:28 pull-always-immutable-image warning'];
const isRoot = process.getuid?.() === 0;

describe('limits: podstart check given hostile files beside a normal one', function () {
  this.timeout(120_000);
  let project: TempProject;

  beforeEach(() => (project = new TempProject({ 'orders-api.yaml': ORDERS_API })));
  afterEach(() => project.dispose());

  const check = async (...extra: string[]) => {
    const started = performance.now();
    const run = await project.run(['check', '--format', 'json', ...RULES, ...extra, '.']);
    return { run, report: jsonReport(run), elapsed: performance.now() - started };
  };
  const findingsOf = (report: JsonReport, path: string) => report.files.find((file) => file.path === path)?.findings ?? [];

  it('gives a file over maxFileSize one notice and analyses the rest', async () => {
    project.write('all-in-one.yaml', overTheLimit());
    const { run, report } = await check('--max-file-size', String(SMALL_LIMIT));
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(findingSummary(report), ['all-in-one.yaml 1:1 file-too-large info', ...ORDERS_FINDINGS]);
    assert.match(findingsOf(report, 'all-in-one.yaml')[0].message, /^File is 0\.\d MB, over podstart\.maxFileSize \(0\.1 MB\); Podstart did not analyse it\.$/);
  });

  it('reads a file of 100,000 documents in bounded time and finds what its Deployments hold', async () => {
    project.write('bundle.yaml', manyDocuments(100_000, 4));
    const { run, report, elapsed } = await check('--max-file-size', String(64 * 1024 * 1024));
    assert.equal(run.code, 1, run.stderr);
    const bundle = findingsOf(report, 'bundle.yaml');
    assert.deepEqual(bundle.map((finding) => finding.ruleId), Array(4).fill('mutable-image-tag'));
    assert.deepEqual(bundle.map((finding) => finding.object?.name), ['web-0', 'web-1', 'web-2', 'web-3']);
    assert.deepEqual(findingSummary(report).filter((line) => line.startsWith('orders-api')), ORDERS_FINDINGS);
    // About 2 s here, Node start included; the bound only catches a quadratic walk over documents.
    assert.ok(elapsed < 30_000, `took ${Math.round(elapsed)} ms`);
  });

  it('reads a 10 MB single line: over the default limit a notice, under a raised one an analysis, both quickly', async () => {
    project.write('blob.yaml', tenMegabyteLine());
    const over = await check();
    assert.equal(over.run.code, 1, over.run.stderr);
    assert.deepEqual(findingSummary(over.report), ['blob.yaml 1:1 file-too-large info', ...ORDERS_FINDINGS]);
    const under = await check('--max-file-size', String(32 * 1024 * 1024));
    assert.equal(under.run.code, 1, under.run.stderr);
    assert.deepEqual(findingSummary(under.report), ORDERS_FINDINGS);
    assert.deepEqual(under.report.errors, []);
    assert.ok(under.elapsed < 30_000, `took ${Math.round(under.elapsed)} ms`);
  });

  it('gives a Dockerfile of generated megabytes one notice, quickly, and checks a real one', async () => {
    // One instruction holding a megabyte of quote characters, as the fuzzer made (test/fuzz): 2-9 s before the limit.
    project.write('Dockerfile', `FROM debian:12\nRUN echo ${'"'.repeat(1024 * 1024)}\n`);
    project.write('worker/Dockerfile', 'FROM python\nCMD ["python", "worker.py"]\n');
    const { run, report, elapsed } = await check('--rule', 'dockerfile-mutable-base-image=warning');
    assert.equal(run.code, 1, run.stderr);
    const summary = findingSummary(report);
    assert.ok(summary.includes('Dockerfile 1:1 file-too-large info'), summary.join('\n'));
    assert.ok(summary.includes('worker/Dockerfile 1:6 dockerfile-mutable-base-image warning'), summary.join('\n'));
    assert.match(findingsOf(report, 'Dockerfile')[0].message, /^Dockerfile is 1024 KB, over the 256 KB Podstart reads in a Dockerfile/);
    assert.ok(elapsed < 10_000, `took ${Math.round(elapsed)} ms`);
  });

  it('names binary data saved as .yaml instead of listing syntax errors', async () => {
    writeFileSync(project.path('backup.yaml'), binaryBytes());
    const { run, report } = await check();
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(findingSummary(report), ['backup.yaml 1:1 binary-file info', ...ORDERS_FINDINGS]);
    assert.match(findingsOf(report, 'backup.yaml')[0].message, /binary data \(a NUL byte at line 1, column 4\)/);
    // One message for the file: not also "not valid UTF-8".
    assert.deepEqual(report.warnings, []);
  });

  it('warns about a file that is not valid UTF-8 and still checks it', async () => {
    writeFileSync(project.path('menu.yaml'), invalidUtf8());
    const { run, report } = await check();
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(findingSummary(report), ['menu.yaml 7:58 mutable-image-tag warning', ...ORDERS_FINDINGS]);
    assert.deepEqual(report.warnings, [{ path: 'menu.yaml', message: 'Not valid UTF-8 (a Latin-1 or UTF-16 file?): invalid bytes were read as U+FFFD; convert the file to UTF-8.' }]);
    assert.match(run.stderr, /^menu\.yaml: warning: Not valid UTF-8/m);
  });

  it('ends its walk on symbolic link cycles and says what it skipped', async function () {
    if (process.platform === 'win32') this.skip();
    mkdirSync(project.path('deploy'));
    symlinkSync('.', project.path('deploy/loop'));
    symlinkSync('b.yaml', project.path('deploy/a.yaml'));
    symlinkSync('a.yaml', project.path('deploy/b.yaml'));
    const { run, report, elapsed } = await check();
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(findingSummary(report), ORDERS_FINDINGS);
    assert.deepEqual(
      report.warnings.map((warning) => `${warning.path}: ${warning.message}`),
      [
        'deploy/a.yaml: Skipped: a cycle of symbolic links (too many levels of symbolic links).',
        'deploy/b.yaml: Skipped: a cycle of symbolic links (too many levels of symbolic links).',
        'deploy/loop: Skipped: a symbolic link to a folder; links to folders are not followed, so that a cycle cannot make the walk endless.',
      ],
    );
    assert.ok(elapsed < 20_000, `took ${Math.round(elapsed)} ms`);
  });

  it('skips a FIFO named like a manifest instead of waiting on it forever', async function () {
    if (process.platform === 'win32' || spawnSync('mkfifo', [project.path('pipe.yaml')]).status !== 0) this.skip();
    const { run, report } = await check();
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(findingSummary(report), ORDERS_FINDINGS);
    assert.deepEqual(report.warnings, [{ path: 'pipe.yaml', message: 'Skipped: not a regular file (a FIFO, socket or device).' }]);
  });

  it('reports a file it may not read, exits 2, and still checks the others', async function () {
    // Root reads a chmod 000 file anyway: run as nobody then, or skip when that is impossible.
    if (!canDropPrivileges) this.skip();
    project.write('secret.yaml', ORDERS_API);
    chmodSync(project.path('secret.yaml'), 0o000);
    const run = await project.run(['check', '--format', 'json', ...RULES, '.'], { unprivileged: isRoot });
    assert.equal(run.code, 2, run.stderr);
    const report = jsonReport(run);
    assert.deepEqual(findingSummary(report), ORDERS_FINDINGS);
    assert.deepEqual(report.errors, [{ kind: 'io', path: 'secret.yaml', message: 'Cannot read: permission denied.' }]);
  });
});
