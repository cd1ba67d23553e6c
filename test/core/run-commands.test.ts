/**
 * Reading RUN instructions: the commands and their words with their exact text in the file, across
 * line continuations, comment lines, quotes, control structures, here-documents and the exec form.
 */
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../core/dockerfile/model';
import { packageCommandsOf, packageName } from '../../core/dockerfile/package-commands';
import { acceptsAppendedCommand, readRunScript, type RunScript } from '../../core/dockerfile/run-commands';

function runs(text: string): RunScript[] {
  const model = parseDockerfile(text);
  return model.instructions.flatMap((instruction) => readRunScript(model, instruction) ?? []);
}

/** Each command as `program [args]`, args as the program receives them. */
const commandsOf = (script: RunScript) => script.commands.map((command) => [command.program ?? '=', ...command.args.map((arg) => arg.value)].join(' '));

describe('core/dockerfile/run-commands', () => {
  it('joins continued lines, drops comment lines inside, and keeps each word at its place in the file', () => {
    const text = `FROM debian:bookworm-20240701-slim
RUN apt-get update \\
# the client library only
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\
       libpq5 "ca-certificates" \\
    && rm -rf /var/lib/apt/lists/*
`;
    const [script] = runs(text);
    assert.equal(script.form, 'shell');
    assert.deepEqual(commandsOf(script), ['apt-get update', 'apt-get install -y --no-install-recommends libpq5 ca-certificates', 'rm -rf /var/lib/apt/lists/*']);
    assert.deepEqual(script.commands.map((command) => command.separator), ['&&', '&&', 'end']);
    const install = script.commands[1];
    assert.equal(install.words[0].value, 'DEBIAN_FRONTEND=noninteractive', 'the assignment stays among the words');
    const quoted = install.args[install.args.length - 1];
    assert.equal(text.slice(quoted.span.start, quoted.span.end), '"ca-certificates"');
    assert.equal(text.slice(script.scriptEnd - 'lists/*'.length, script.scriptEnd + 1), 'lists/*\n', 'appended text goes right after the last command');
    assert.equal(script.hasComment, false);
    assert.equal(acceptsAppendedCommand(script), true);
  });

  it('keeps quotes, expansions and command substitutions in one word, and leaves redirections out', () => {
    const [script] = runs(`FROM alpine:3.20\nRUN echo "a b; c" '$HOME' \${ARCH:-amd64} $(uname -m) > /etc/build-info 2>&1 && apk add --no-cache git\n`);
    assert.deepEqual(commandsOf(script), ['echo a b; c $HOME ${ARCH:-amd64} $(uname -m)', 'apk add --no-cache git']);
  });

  it('reads commands inside if, for, case and subshells as nested, and skips loop and case headers', () => {
    const [script] = runs(`FROM alpine:3.20
RUN set -eux; \\
    case "$(apk --print-arch)" in \\
      x86_64) ARCH=amd64 ;; \\
      *) echo unsupported; exit 1 ;; \\
    esac; \\
    for f in a b; do touch /tmp/$f; done; \\
    if [ -n "$EXTRA" ]; then apk add --no-cache "$EXTRA"; fi; \\
    (cd /src && make)
`);
    assert.deepEqual(commandsOf(script), ['set -eux', '=', 'echo unsupported', 'exit 1', 'touch /tmp/$f', '[ -n $EXTRA ]', 'apk add --no-cache $EXTRA', 'cd /src', 'make']);
    assert.deepEqual(script.commands.map((command) => command.nested), [false, true, true, true, true, true, true, true, true]);
  });

  it('marks a trailing comment and a trailing operator, after which nothing can be appended', () => {
    const [commented, trailing] = runs('FROM alpine:3.20\nRUN apk add --no-cache git # for go get\nRUN apk add --no-cache git;\n');
    assert.equal(commented.hasComment, true);
    assert.equal(acceptsAppendedCommand(commented), false);
    assert.equal(trailing.endsWithSeparator, true);
    assert.equal(acceptsAppendedCommand(trailing), false);
  });

  it('reads a here-document RUN line by line, skipping the data of a nested here-document', () => {
    const [script] = runs(`FROM debian:bookworm-20240701-slim
RUN <<EOF
set -e
cat > /etc/app.conf <<CONF
apt-get install this-is-data
CONF
apt-get update
EOF
`);
    assert.equal(script.form, 'heredoc');
    assert.deepEqual(commandsOf(script), ['set -e', 'cat', 'apt-get update']);
    assert.equal(acceptsAppendedCommand(script), false);
  });

  it('reads the exec form as one command without a shell, and records cache mounts', () => {
    const [exec, mounted] = runs('FROM python:3.12-slim\nRUN ["pip", "install", "gunicorn==22.0.0"]\nRUN --mount=type=cache,target=/root/.cache/pip --mount=type=bind,source=.,target=/src pip install /src\n');
    assert.equal(exec.form, 'exec');
    assert.deepEqual(commandsOf(exec), ['pip install gunicorn==22.0.0']);
    assert.deepEqual(mounted.uncommittedPaths, ['/root/.cache/pip']);
    assert.deepEqual(mounted.flags.map((flag) => flag.name), ['mount', 'mount']);
  });

  it('finds package-manager commands behind wrappers, with options told apart from packages', () => {
    const [script] = runs(`FROM alpine:3.20
RUN sudo apt-get -o Dpkg::Options::=--force-confold -y install curl=7.88.1-10 libpq5:amd64 \\
 && apk add --virtual .build-deps gcc \\
 && python3 -m pip install -r requirements.txt "requests[socks]==2.32.3" \\
 && dnf groupinstall -y "Development Tools"
`);
    const commands = packageCommandsOf(script);
    assert.deepEqual(
      commands.map((command) => [command.manager, command.tool, command.action, command.operands.map((operand) => packageName(operand) ?? operand.value)]),
      [
        ['apt', 'apt-get', 'install', ['curl', 'libpq5']],
        ['apk', 'apk', 'add', ['gcc']],
        ['pip', 'python3 -m pip', 'install', ['requests']],
        ['dnf', 'dnf', 'groupinstall', ['development']],
      ],
    );
    assert.equal(commands[1].virtualName, '.build-deps');
  });
});
