/**
 * The server and the CLI start without client-node (only reading a cluster needs it) and without
 * dockerfile-ast (only Dockerfiles): scripts/build.mjs bundles them apart, as dist/kube-client.js
 * and dist/dockerfile-ast.js, and core/cluster/kube-client-module.ts and
 * core/dockerfile/dockerfile-ast-module.ts load them on first use. Checked on the built bundles
 * (`npm run build`): what a start loads, that the vsix ships what the server can load, and that the
 * start-path bundles are ASCII (V8 reads and compiles a file with any other character as two-byte
 * text, slower). That the cluster code still works from dist is test/cli/timings.test.ts and
 * test/server/timings.test.ts, which run the bundles against the HTTPS test server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const START_BUNDLES = ['server.js', 'cli.js'];

/** The files of dist/ a bundle requires at run time (`require("./x.js")`). */
function requiredBundles(bundle: string): string[] {
  const text = readFileSync(path.join(DIST, bundle), 'utf8');
  return [...new Set([...text.matchAll(/\brequire\("\.\/([\w.-]+\.js)"\)/g)].map((match) => match[1]))].sort();
}

describe('bundles loaded on demand (dist/)', () => {
  let folder: string;
  before(function () {
    if (!START_BUNDLES.every((bundle) => existsSync(path.join(DIST, bundle)))) this.skip();
    folder = mkdtempSync(path.join(tmpdir(), 'podstart-bundles-'));
  });
  after(() => folder && rmSync(folder, { recursive: true, force: true }));

  /** The dist/ bundles besides cli.js that `podstart check FILE` loads, in load order. */
  function bundlesLoadedByCheck(name: string, text: string): string[] {
    writeFileSync(path.join(folder, name), text);
    const hook = path.join(folder, 'hook.cjs');
    writeFileSync(hook, `const Module = require('module'); const load = Module._load; const seen = [];
Module._load = function (request, parent, ...rest) { const loaded = load.call(this, request, parent, ...rest); if (parent && parent.filename === ${JSON.stringify(path.join(DIST, 'cli.js'))} && request.startsWith('./')) seen.push(request.slice(2)); return loaded; };
process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(seen) + '\\n'));`);
    const run = spawnSync(process.execPath, ['--require', hook, path.join(DIST, 'cli.js'), 'check', name], { cwd: folder, encoding: 'utf8' });
    const line = run.stderr.split('\n').find((candidate) => candidate.startsWith('LOADED '));
    assert.ok(line, run.stderr);
    assert.ok(run.stdout.length > 0, 'the check printed findings');
    return JSON.parse(line.slice('LOADED '.length)) as string[];
  }

  it('checks a manifest without loading client-node or dockerfile-ast, and a Dockerfile with dockerfile-ast only', () => {
    assert.deepEqual(bundlesLoadedByCheck('web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n'), []);
    assert.deepEqual(bundlesLoadedByCheck('Dockerfile', 'FROM node:latest\nRUN apt-get update && apt-get install -y curl\n'), ['dockerfile-ast.js']);
  });

  it('keeps client-node and dockerfile-ast out of the server and the CLI, which require them from next to themselves', () => {
    for (const bundle of START_BUNDLES) {
      const text = readFileSync(path.join(DIST, bundle), 'utf8');
      assert.doesNotMatch(text, /^\/\/ node_modules\/(@kubernetes\/client-node|dockerfile-ast|node-fetch)\//m, bundle);
      assert.deepEqual(requiredBundles(bundle), ['dockerfile-ast.js', 'kube-client.js'], bundle);
    }
  });

  it('ships in the vsix every bundle the server can load', () => {
    const shipped = readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!dist/')).map((line) => line.slice('!dist/'.length));
    for (const bundle of ['server.js', ...requiredBundles('server.js')]) {
      assert.ok(shipped.includes(bundle), `.vscodeignore does not ship dist/${bundle}`);
      assert.ok(existsSync(path.join(DIST, bundle)), `dist/${bundle} was not built`);
    }
  });

  it('leaves no character outside ASCII in the server and the CLI', () => {
    for (const bundle of START_BUNDLES) {
      const lines = readFileSync(path.join(DIST, bundle), 'utf8').split('\n');
      const found = lines.flatMap((line, index) => (/[^\x00-\x7f]/.test(line) ? [`${bundle}:${index + 1}: ${line.trim().slice(0, 80)}`] : []));
      assert.deepEqual(found, []);
    }
  });
});
