/**
 * `podstart check` on a repository with Dockerfiles beside its manifests: the folder walk picks
 * them up, and the text, JSON and SARIF reports carry their findings like any other file's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { ALL_RULES } from '../../rules';
import { jsonReport, onlyRules, ORDERS_API, REPO_ROOT, TempProject } from './harness';

const MUTABLE = 'dockerfile-mutable-base-image';
const FAT = 'dockerfile-fat-base-image';
const RULES = onlyRules(MUTABLE, FAT, 'mutable-image-tag');

/** The orders API's image: a builder on :latest (line 2) and the full python image in the final stage (line 6). */
const ORDERS_DOCKERFILE = `# syntax=docker/dockerfile:1
FROM golang:latest AS migrate
RUN go install github.com/acme/migrate@v1.4.0

# The API itself.
FROM python:3.12
COPY --from=migrate /go/bin/migrate /usr/local/bin/
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "orders:app"]
`;

/** A pinned worker on a slim base: nothing to report. */
const WORKER_CONTAINERFILE = `FROM python:3.12.4-slim-bookworm
COPY worker.py /worker.py
CMD ["python", "/worker.py"]
`;

/** The parts of a SARIF log these tests read. */
interface SarifLog {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; properties: { target: string; tags: string[] } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }>; fixes?: unknown[] }>;
  }>;
}

describe('podstart check: Dockerfiles', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'services/orders/Dockerfile': ORDERS_DOCKERFILE,
      'services/orders/deploy.yaml': ORDERS_API,
      'services/worker/Containerfile': WORKER_CONTAINERFILE,
      'services/worker/notes.txt': 'FROM python:latest\n',
      'tools/Dockerfile.dev': 'FROM golang:latest\nENTRYPOINT ["go"]\n',
    });
  });
  afterEach(() => project.dispose());

  it('walks folders into Dockerfiles, Containerfiles and Dockerfile.* beside the manifests, sorted', async () => {
    const report = jsonReport(await project.run(['check', '--format', 'json', ...RULES]));
    assert.deepEqual(report.files.map((file) => file.path), ['services/orders/Dockerfile', 'services/orders/deploy.yaml', 'services/worker/Containerfile', 'tools/Dockerfile.dev']);
    const dockerfile = report.files[0];
    assert.deepEqual(
      dockerfile.findings.map(({ ruleId, line, column, endLine, endColumn, stage, fixable, object }) => ({ ruleId, line, column, endLine, endColumn, stage, fixable, object })),
      [
        { ruleId: MUTABLE, line: 2, column: 6, endLine: 2, endColumn: 19, stage: 'image-pull', fixable: false, object: { kind: 'Stage', name: 'migrate' } },
        { ruleId: FAT, line: 6, column: 6, endLine: 6, endColumn: 17, stage: 'image-pull', fixable: false, object: { kind: 'Stage', name: '1' } },
      ],
    );
    assert.match(dockerfile.findings[1].message, /^The final image is built on `python:3\.12`, the full Debian image/);
    // Dockerfile.dev is checked, and its rules skip development images.
    assert.deepEqual(report.files[3].findings, []);
  });

  it('prints Dockerfile findings in the text format', async () => {
    const run = await project.run(['check', 'services', ...RULES]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 4).map((line) => line.replace(/(  Image pull  ).*(  \[)/, '$1<message>$2')), [
      'services/orders/Dockerfile',
      `  services/orders/Dockerfile:2:6  warning  Image pull  <message>  [${MUTABLE}]`,
      `  services/orders/Dockerfile:6:6  warning  Image pull  <message>  [${FAT}]`,
      '',
    ]);
    assert.match(run.stdout, /\n3 findings \(3 warnings\) in 2 of 3 files\.\n$/);
  });

  it('reports them in SARIF with the Dockerfile rules in the rule list, and offers no fix that needs review', async () => {
    const cli = await project.run(['check', 'services/orders', '--format', 'sarif', ...RULES]);
    assert.equal(cli.code, 1);
    const log = JSON.parse(cli.stdout) as SarifLog;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')));
    assert.ok(validate(JSON.parse(cli.stdout)), JSON.stringify(validate.errors?.slice(0, 3)));
    const [run] = log.runs;
    const index = (id: string) => ALL_RULES.findIndex((rule) => rule.meta.id === id);
    const results = run.results.map((result) => {
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      return `${artifactLocation.uri} ${region.startLine}:${region.startColumn}-${region.endLine}:${region.endColumn} ${result.ruleId}#${result.ruleIndex} fixes:${result.fixes?.length ?? 0}`;
    });
    assert.deepEqual(results, [
      `services/orders/Dockerfile 2:6-2:19 ${MUTABLE}#${index(MUTABLE)} fixes:0`,
      `services/orders/Dockerfile 6:6-6:17 ${FAT}#${index(FAT)} fixes:0`,
      `services/orders/deploy.yaml 16:18-16:48 mutable-image-tag#${index('mutable-image-tag')} fixes:0`,
    ]);
    const descriptor = run.tool.driver.rules[index(FAT)];
    assert.deepEqual([descriptor.properties.target, descriptor.properties.tags], ['dockerfile', ['dockerfile', 'pod-startup', 'image-pull']]);
  });

  it('leaves the slim switch to a person under --fix', async () => {
    const run = await project.run(['check', 'services/orders/Dockerfile', '--fix', '--format', 'json', ...RULES]);
    assert.equal(run.code, 1);
    assert.equal(project.read('services/orders/Dockerfile'), ORDERS_DOCKERFILE);
    assert.equal(jsonReport(run).files[0].fixed, 0);
  });

  it('reads standard input as a Dockerfile when --stdin-filename names one', async () => {
    const run = await project.run(['check', '-', '--stdin-filename', 'images/api/Dockerfile', '--format', 'json', ...RULES], { stdin: 'FROM node:20\nCMD ["node", "server.js"]\n' });
    const [file] = jsonReport(run).files;
    assert.equal(file.path, 'images/api/Dockerfile');
    assert.deepEqual(file.findings.map((finding) => `${finding.line}:${finding.column} ${finding.ruleId}`), [`1:6 ${FAT}`]);
  });
});
