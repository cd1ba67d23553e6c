import assert from 'node:assert/strict';
import { applyEdits } from '../../core/apply-edits';
import { DockerfileEditor } from '../../core/dockerfile/editor';
import { parseDockerfile, rootBaseOf } from '../../core/dockerfile/model';
import { expandVariables } from '../../core/dockerfile/variables';

/** A service with global ARGs, a dependency stage, a builder, a test target and the shipped stage built on the dependency stage. */
const SERVICE = `# syntax=docker/dockerfile:1
ARG REGISTRY=docker.io/library
ARG PYTHON_VERSION=3.12.4
ARG BASE=\${REGISTRY}/python:\${PYTHON_VERSION}-slim
ARG TOOLS_IMAGE

FROM \${BASE} AS deps
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir \\
      -r requirements.txt

FROM --platform=$BUILDPLATFORM golang:1.22.5 AS tools
RUN go install github.com/acme/migrate@v1.4.0

FROM \${TOOLS_IMAGE} AS lint

FROM Deps AS runtime
COPY --from=tools /go/bin/migrate /usr/local/bin/
COPY . .
CMD ["python", "-m", "orders"]
`;

describe('core/dockerfile/model', () => {
  const model = parseDockerfile(SERVICE);

  it('resolves global ARG defaults through one another', () => {
    assert.deepEqual([...model.globalArgs.values()].map((arg) => [arg.name, arg.value ?? null]), [
      ['REGISTRY', 'docker.io/library'],
      ['PYTHON_VERSION', '3.12.4'],
      ['BASE', 'docker.io/library/python:3.12.4-slim'],
      ['TOOLS_IMAGE', null],
    ]);
    const base = model.globalArgs.get('BASE')!;
    assert.equal(SERVICE.slice(base.defaultSpan!.start, base.defaultSpan!.end), '${REGISTRY}/python:${PYTHON_VERSION}-slim');
  });

  it('splits the stages, names the last one final, and knows which stages the final image is built on', () => {
    assert.deepEqual(
      model.stages.map((stage) => [stage.index, stage.name ?? null, stage.isFinal, stage.inFinalImage, stage.instructions.map((instruction) => instruction.keyword).join(' ')]),
      [
        [0, 'deps', false, true, 'WORKDIR COPY RUN'],
        [1, 'tools', false, false, 'RUN'],
        [2, 'lint', false, false, ''],
        [3, 'runtime', true, true, 'COPY COPY CMD'],
      ],
    );
    assert.equal(model.finalStage, model.stages[3]);
  });

  it('resolves each base image: through ARGs, past flags, to an earlier stage (case-insensitive), or not at all', () => {
    const [deps, tools, lint, runtime] = model.stages;
    assert.equal(deps.base!.text, '${BASE}');
    assert.equal(deps.base!.resolved, 'docker.io/library/python:3.12.4-slim');
    assert.deepEqual([deps.base!.reference!.registry, deps.base!.reference!.repository, deps.base!.reference!.tag], ['docker.io', 'library/python', '3.12.4-slim']);
    assert.equal(SERVICE.slice(tools.base!.span.start, tools.base!.span.end), 'golang:1.22.5');
    assert.equal(lint.base!.resolved, undefined);
    assert.deepEqual(lint.base!.unresolved, ['TOOLS_IMAGE']);
    assert.equal(runtime.base!.stage, deps);
    assert.equal(rootBaseOf(runtime).stage, deps);
    assert.equal(rootBaseOf(runtime).base, deps.base);
  });

  it('finds the instruction at an offset, continuation lines included', () => {
    const inContinuation = SERVICE.indexOf('-r requirements.txt');
    const run = model.instructionAt(inContinuation)!;
    assert.equal(run.keyword, 'RUN');
    assert.equal(run.line, 9);
    assert.equal(run.stage, model.stages[0]);
    assert.equal(model.instructionAt(SERVICE.indexOf('# syntax')), undefined);
  });

  it('reads a Dockerfile without instructions, or with a FROM and no image, without a stage to judge', () => {
    assert.deepEqual(parseDockerfile('# nothing yet\n').stages, []);
    assert.equal(parseDockerfile('').finalStage, undefined);
    assert.equal(parseDockerfile('FROM\n').stages[0].base, undefined);
    assert.equal(parseDockerfile('FROM scratch\n').stages[0].base!.scratch, true);
    assert.equal(parseDockerfile('FROM "gcr.io/distroless/static"\n').stages[0].base!.resolved, 'gcr.io/distroless/static');
  });
});

describe('core/dockerfile/variables', () => {
  const values: Record<string, string | undefined> = { VERSION: '3.12', EMPTY: '' };
  const expand = (text: string) => expandVariables(text, (name) => values[name]);

  it('substitutes $NAME and ${NAME}, and the :- / - / :+ / + forms', () => {
    assert.equal(expand('python:$VERSION').value, 'python:3.12');
    assert.equal(expand('python:${VERSION}-slim').value, 'python:3.12-slim');
    assert.equal(expand('python:${MISSING:-3.11}').value, 'python:3.11');
    assert.equal(expand('python:${EMPTY:-3.11}').value, 'python:3.11');
    assert.equal(expand('python:${EMPTY-3.11}').value, 'python:');
    assert.equal(expand('python:3.12${VERSION:+-slim}').value, 'python:3.12-slim');
    assert.equal(expand('python:3.12${MISSING+-slim}').value, 'python:3.12');
  });

  it('says which variables it could not resolve, and gives no value then', () => {
    assert.deepEqual(expand('${REGISTRY}/python:${VERSION}'), { value: undefined, variables: ['REGISTRY', 'VERSION'], unresolved: ['REGISTRY'] });
    assert.deepEqual(expand('python:${VERSION%.*}'), { value: undefined, variables: [], unresolved: ['VERSION%.*'] });
  });
});

describe('core/dockerfile/editor', () => {
  const text = 'FROM python:3.12-slim\r\n  RUN apt-get update \\\r\n      && apt-get install -y curl\r\nCMD ["python"]\r\n';
  const model = parseDockerfile(text);
  const edit = new DockerfileEditor(model);
  const run = model.instructions[1];

  it('appends to a multi-line instruction, keeping the line endings', () => {
    assert.equal(applyEdits(text, [edit.appendToInstruction(run, ' \\\r\n      && rm -rf /var/lib/apt/lists/*')!]), 'FROM python:3.12-slim\r\n  RUN apt-get update \\\r\n      && apt-get install -y curl \\\r\n      && rm -rf /var/lib/apt/lists/*\r\nCMD ["python"]\r\n');
  });

  it('inserts whole lines before and after an instruction, at its indentation', () => {
    assert.equal(applyEdits(text, [edit.insertLinesBefore(run, ['# packages'])]), text.replace('  RUN', '  # packages\r\n  RUN'));
    assert.equal(applyEdits(text, [edit.insertLinesAfter(run, ['USER app'])]), text.replace('curl\r\n', 'curl\r\n  USER app\r\n'));
  });

  it('removes an instruction with its lines', () => {
    assert.equal(applyEdits(text, [edit.removeInstruction(run)]), 'FROM python:3.12-slim\r\nCMD ["python"]\r\n');
  });

  it('offers no append on a here-document', () => {
    const heredoc = parseDockerfile('FROM alpine:3.20\nRUN <<EOF\napk add curl\nEOF\n');
    assert.equal(new DockerfileEditor(heredoc).appendToInstruction(heredoc.instructions[1], ' && true'), undefined);
  });
});
