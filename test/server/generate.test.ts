/**
 * The generators through the language server, as the editor drives them: `podstart/listGenerators`
 * gives the client every generator's declared options, `podstart/generate` over the fixture workspace
 * returns exactly the text (and notes) `podstart generate` prints for the same files and options, the
 * open editors' text wins over the disk, and `podstart/addStartupProbe` (and its code action) edits
 * the container at the cursor. No handler fails, whatever the request.
 */
import assert from 'node:assert/strict';
import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, type CodeAction, type WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GENERATORS } from '../../core/generate';
import { runPodstart } from '../cli/harness';
import { GENERATE_WORKSPACE, STARTUP_PROBE_MANIFEST } from '../cli/generate-fixtures';
import { applyWorkspaceEdit, Workspace } from './fixtures';
import { fileUri, ServerUnderTest } from './lsp-test-client';
import {
  ADD_STARTUP_PROBE_REQUEST,
  GENERATE_REQUEST,
  LIST_GENERATORS_REQUEST,
  type AddStartupProbeResult,
  type GenerateParams,
  type GenerateResult,
  type GeneratorSummary,
} from '../../server/protocol';

/** The YAML files of a folder, recursively, sorted: what the client's file search sends. */
function yamlFiles(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) return yamlFiles(root, child);
    return /\.ya?ml$/.test(entry.name) && entry.name !== '.podstart.yaml' ? [child] : [];
  });
}

/** The options of a generator with a value other than its default where one exists: both front ends must pass them the same way. */
function nonDefaultOptions(generator: (typeof GENERATORS)[number]): { flags: string[]; values: Record<string, unknown> } {
  const flags: string[] = [];
  const values: Record<string, unknown> = {};
  for (const option of generator.options) {
    const flag = `--${option.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
    if (option.type === 'choice' && option.choices && option.choices.length > 1) {
      const other = option.choices.find((choice) => choice.value !== option.default)!;
      flags.push(flag, other.value);
      values[option.name] = other.value;
    }
  }
  return { flags, values };
}

describe('language server: generators (podstart/generate)', function () {
  this.timeout(30_000);
  let server: ServerUnderTest;
  let workspace: Workspace;
  let uris: string[];

  const generate = (params: GenerateParams) => server.connection.sendRequest(GENERATE_REQUEST, params) as Promise<GenerateResult>;

  before(async () => {
    workspace = new Workspace();
    cpSync(GENERATE_WORKSPACE, workspace.root, { recursive: true });
    // Both front ends must take the release from the workspace's configuration.
    workspace.write('.podstart.yaml', 'kubernetesVersion: "1.33"\n');
    uris = yamlFiles(workspace.root).map((relative) => fileUri(workspace.path(relative)));
    // Untrusted, as a fresh clone opens: generation must work without the registry.
    server = await ServerUnderTest.start({ workspaceFolder: workspace.root, initializationOptions: { workspaceTrusted: false } });
  });
  after(async () => {
    await server.stop();
    workspace.dispose();
  });
  afterEach(() => assert.deepEqual(server.errorLogs(), [], 'no handler failed'));

  it('lists every generator with its command and the options it declares', async () => {
    const listed = (await server.connection.sendRequest(LIST_GENERATORS_REQUEST)) as GeneratorSummary[];
    assert.deepEqual(
      listed.map(({ id, title, usesImages, options }) => ({ id, title, usesImages, options })),
      GENERATORS.map(({ id, title, usesImages, options }) => ({ id, title, usesImages, options: [...options] })),
    );
    assert.equal(listed.find((generator) => generator.id === 'pre-puller')?.commandId, 'podstart.generatePrePuller');
  });

  for (const generator of GENERATORS) {
    it(`${generator.id}: returns exactly what \`podstart generate ${generator.id}\` prints for the same files, defaults and other choices`, async () => {
      for (const { flags, values } of [{ flags: [], values: {} }, nonDefaultOptions(generator)]) {
        const answer = await generate({ generatorId: generator.id, options: values, uris });
        assert.ok(answer.file, `${generator.id} ${JSON.stringify(values)}: ${answer.error}`);
        const cli = await runPodstart(['generate', generator.id, ...flags], { cwd: workspace.root });
        assert.equal(cli.code, 0, cli.stderr);
        assert.equal(answer.file.text, cli.stdout, `${generator.id} ${flags.join(' ')}: the editor and the CLI differ`);
        const cliNotes = cli.stderr.split('\n').flatMap((line) => (line.startsWith('podstart: note: ') ? [line.slice('podstart: note: '.length)] : []));
        assert.deepEqual(answer.file.notes, cliNotes);
        assert.equal(answer.usedRegistry, false, 'no registry in an untrusted workspace');
        assert.equal(answer.kubernetesVersion, '1.33');
        if (generator.usesImages) assert.equal(answer.filesRead, uris.length);
      }
    });
  }

  it('reads an open editor\'s unsaved text instead of the file on disk', async () => {
    const imageGenerator = GENERATORS.find((generator) => generator.usesImages)!;
    const uri = uris[0];
    const onDisk = (await generate({ generatorId: imageGenerator.id, options: {}, uris })).file!.text;
    const added = 'registry.example.com/unsaved/edit:4.5.6';
    await server.open(uri, `apiVersion: v1
kind: Pod
metadata:
  name: unsaved
spec:
  containers:
    - name: app
      image: ${added}
`);
    try {
      const edited = (await generate({ generatorId: imageGenerator.id, options: {}, uris })).file!.text;
      assert.ok(!onDisk.includes(added));
      assert.ok(edited.includes(added), 'the unsaved image is in the generated file');
    } finally {
      await server.close(uri);
    }
  });

  it('answers a request it cannot carry out with the reason, and fails no handler', async () => {
    assert.match((await generate({ generatorId: 'no-such-generator', options: {}, uris })).error ?? '', /Unknown generator "no-such-generator"/);
    const withChoice = GENERATORS.flatMap((generator) => generator.options.filter((option) => option.type === 'choice').map((option) => ({ generator, option })))[0];
    if (withChoice) {
      const answer = await generate({ generatorId: withChoice.generator.id, options: { [withChoice.option.name]: 'not-a-choice' }, uris });
      assert.match(answer.error ?? '', /must be one of/);
      assert.equal(answer.file, undefined);
    }
    const imageGenerator = GENERATORS.find((generator) => generator.usesImages)!;
    assert.match((await generate({ generatorId: imageGenerator.id, options: {}, uris: [] })).error ?? '', /Nothing to generate: no YAML manifest was found/);
    assert.match((await generate({ generatorId: imageGenerator.id, options: { noSuchOption: 1 }, uris })).error ?? '', /Unknown option --no-such-option/);
  });

  it('adds a startupProbe at the cursor\'s container (podstart/addStartupProbe and the code action), as `podstart generate startup-probe` does', async () => {
    const file = workspace.write('probes/web.yaml', STARTUP_PROBE_MANIFEST.text);
    const uri = fileUri(file);
    await server.open(uri, STARTUP_PROBE_MANIFEST.text);
    await server.diagnosticsFor(uri);
    const document = TextDocument.create(uri, 'yaml', 1, STARTUP_PROBE_MANIFEST.text);
    const position = document.positionAt(STARTUP_PROBE_MANIFEST.text.indexOf(STARTUP_PROBE_MANIFEST.cursorAt));
    const result = (await server.connection.sendRequest(ADD_STARTUP_PROBE_REQUEST, { uri, position })) as AddStartupProbeResult;
    assert.ok(result.edit, result.notes.join(' '));
    const edited = applyWorkspaceEdit(STARTUP_PROBE_MANIFEST.text, uri, result.edit as WorkspaceEdit);
    const cli = await runPodstart(['generate', 'startup-probe', 'probes/web.yaml', '--container', STARTUP_PROBE_MANIFEST.container], { cwd: workspace.root });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(edited, cli.stdout);

    const actions = (await server.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } })) as CodeAction[];
    const action = actions.find((candidate) => candidate.title === 'Add a startupProbe from the readinessProbe');
    assert.ok(action?.edit, `offered: ${actions.map((candidate) => candidate.title).join(', ')}`);
    assert.equal(applyWorkspaceEdit(STARTUP_PROBE_MANIFEST.text, uri, action.edit), edited);

    // Where a container already has a startupProbe there is nothing to add, and the request says why.
    await server.change(uri, [{ text: edited }]);
    const again = (await server.connection.sendRequest(ADD_STARTUP_PROBE_REQUEST, { uri, position })) as AddStartupProbeResult;
    assert.equal(again.edit, undefined);
    assert.ok(again.notes.length > 0);
    await server.close(uri);
  });
});
