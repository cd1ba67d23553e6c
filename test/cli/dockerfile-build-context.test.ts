/**
 * `podstart check` looks beside each Dockerfile for a .dockerignore (its own `<name>.dockerignore`
 * or the folder's), reports `COPY .` without one, and leaves the file-creating fix to the editor:
 * `--fix` applies the safe fixes of the same Dockerfile and creates nothing.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { findingSummary, jsonReport, onlyRules, TempProject } from './harness';

const IGNORE = 'dockerfile-missing-dockerignore';
const CACHE = 'dockerfile-package-cache';
const RULES = onlyRules(IGNORE, CACHE);

/** An API image that copies its whole folder, with pip's cache left in a layer (line 4). */
const API = `FROM python:3.12-slim-bookworm
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "app:app"]
`;

describe('podstart check: the build context of a Dockerfile', () => {
  let project: TempProject;
  beforeEach(() => {
    project = new TempProject({
      'api/Dockerfile': API,
      'web/Dockerfile': API,
      'web/.dockerignore': '.git\n',
      'batch/Dockerfile.batch': API,
      'batch/Dockerfile.batch.dockerignore': '.git\n',
    });
  });
  afterEach(() => project.dispose());

  it('reports COPY . only where no .dockerignore applies, as a finding --fix does not fix', async () => {
    const report = jsonReport(await project.run(['check', '--format', 'json', ...RULES]));
    assert.deepEqual(findingSummary(report), [
      'api/Dockerfile 4:5 dockerfile-package-cache warning',
      'api/Dockerfile 5:6 dockerfile-missing-dockerignore warning',
      'batch/Dockerfile.batch 4:5 dockerfile-package-cache warning',
      'web/Dockerfile 4:5 dockerfile-package-cache warning',
    ]);
    const missing = report.files[0].findings[1];
    assert.equal(missing.fixable, false);
    assert.match(missing.message, /there is no \.dockerignore beside this Dockerfile/);
  });

  it('applies the safe fixes with --fix and creates no .dockerignore', async () => {
    const run = await project.run(['check', '--fix', '--format', 'json', ...RULES, 'api']);
    assert.equal(project.read('api/Dockerfile'), API.replace('RUN pip install -r', 'RUN pip install --no-cache-dir -r'));
    assert.equal(existsSync(project.path('api/.dockerignore')), false);
    assert.deepEqual(findingSummary(jsonReport(run)), ['api/Dockerfile 5:6 dockerfile-missing-dockerignore warning']);
  });

  it('says nothing about .dockerignore for standard input, whose folder is unknown', async () => {
    const report = jsonReport(await project.run(['check', '-', '--stdin-filename', 'api/Dockerfile', '--format', 'json', ...RULES], { stdin: API }));
    assert.deepEqual(findingSummary(report), ['api/Dockerfile 4:5 dockerfile-package-cache warning']);
  });
});
