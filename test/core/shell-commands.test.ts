import assert from 'node:assert/strict';
import { parseDocument, type YAMLMap } from 'yaml';
import { commandOf, commandStatements, commandSubstitutions, containerCommand, readContainerCommand, splitStatements, splitWords } from '../../core/shell-commands';
import { findWorkloads } from '../../core/workload';

function container(yaml: string) {
  const doc = parseDocument(yaml);
  return { doc, node: doc.contents as YAMLMap };
}

describe('core/shell-commands', () => {
  describe('readContainerCommand', () => {
    it('takes the -c script of a shell, wherever the flag group puts it', () => {
      const { doc, node } = container('name: wait\nimage: busybox:1.36\ncommand: ["/bin/sh", "-exc", "until nc -z db 5432; do sleep 2; done"]\n');
      const command = readContainerCommand(doc, node)!;
      assert.equal(command.viaShell, true);
      assert.equal(command.script, 'until nc -z db 5432; do sleep 2; done');
    });
    it('points at args when the script is written there', () => {
      const { doc, node } = container('name: wait\ncommand: ["bash", "-c"]\nargs:\n  - sleep 10\n');
      const command = readContainerCommand(doc, node)!;
      assert.equal(command.script, 'sleep 10');
      assert.equal(command.node, (node.get('args') as unknown));
    });
    it('joins exec words when no shell runs', () => {
      const { doc, node } = container('name: copy\ncommand: ["cp", "-n", "/usr/local/bin/argocd", "/shared/argocd-dex"]\n');
      const command = readContainerCommand(doc, node)!;
      assert.equal(command.viaShell, false);
      assert.equal(command.script, 'cp -n /usr/local/bin/argocd /shared/argocd-dex');
    });
    it('says nothing when the image decides what runs', () => {
      const { doc, node } = container('name: app\nimage: nginx:1.27\n');
      assert.equal(readContainerCommand(doc, node), undefined);
    });
    it('does not mistake `sh script.sh` for an inline script', () => {
      const { doc, node } = container('name: init\ncommand: ["sh", "/readonly/haproxy_init.sh"]\n');
      assert.equal(readContainerCommand(doc, node)!.viaShell, false);
    });
  });

  describe('containerCommand', () => {
    it("reads a workload's container once, and splits its script once, however many rules ask", () => {
      const doc = parseDocument('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: app\n      image: busybox:1.36\n      command: ["sh", "-c", "wget https://example.com/m.gguf; sleep 5"]\n    - name: quiet\n      image: nginx:1.27\n');
      const [app, quiet] = findWorkloads(doc)[0].containers;
      const command = containerCommand(doc, app)!;
      assert.equal(command.script, 'wget https://example.com/m.gguf; sleep 5');
      assert.equal(containerCommand(doc, app), command);
      const statements = commandStatements(command);
      assert.deepEqual(statements.map((statement) => statement.text), ['wget https://example.com/m.gguf', 'sleep 5']);
      assert.equal(commandStatements(command), statements);
      assert.equal(containerCommand(doc, quiet), undefined);
      assert.equal(quiet.command, null, 'no command is remembered too');
    });
  });

  describe('splitStatements', () => {
    it('splits at separators outside quotes and substitutions, and records control keywords', () => {
      const statements = splitStatements('until nc -z db 5432; do echo "waiting; still"; sleep 2; done && echo $(date; uptime)');
      assert.deepEqual(statements.map((s) => [s.keyword ?? '', s.text, s.separator]), [
        ['until', 'nc -z db 5432', ';'],
        ['do', 'echo "waiting; still"', ';'],
        ['', 'sleep 2', ';'],
        ['done', '', '&&'],
        ['', 'echo $(date; uptime)', 'end'],
      ]);
    });
    it('marks negation and pipes, and drops comments', () => {
      const statements = splitStatements('# wait for redis\nwhile ! nc -z redis 6379 # port\ndo sleep 1; done\ncurl -sL https://x/y.tgz | tar -xz 2>&1');
      assert.equal(statements[0].keyword, 'while');
      assert.equal(statements[0].negated, true);
      assert.equal(statements[0].text, 'nc -z redis 6379');
      const curl = statements.find((s) => s.text.startsWith('curl'))!;
      assert.equal(curl.separator, '|');
      assert.equal(statements[statements.length - 1].text, 'tar -xz 2>&1');
    });
    it('keeps a for header whole', () => {
      const [header] = splitStatements('for i in $(seq 1 30); do nc -z db 5432 && exit 0; sleep 1; done');
      assert.equal(header.keyword, 'for');
      assert.deepEqual(header.words, ['i', 'in', '$(seq 1 30)']);
    });
  });

  describe('words and commands', () => {
    it('removes quotes and keeps substitutions whole', () => {
      assert.deepEqual(splitWords(`echo "a b" 'c' $(date +%s) \${HOME}/x`), ['echo', 'a b', 'c', '$(date +%s)', '${HOME}/x']);
    });
    it('finds the program past assignments and wrappers', () => {
      assert.deepEqual(commandOf(['PGPASSWORD=x', 'timeout', '5', '/usr/bin/pg_isready', '-h', 'db']), { name: 'pg_isready', args: ['-h', 'db'] });
      assert.deepEqual(commandOf(['busybox', 'nc', '-z', 'db', '5432']), { name: 'nc', args: ['-z', 'db', '5432'] });
      assert.equal(commandOf(['STATUS=$(curl -s http://x)']), undefined);
    });
    it('lists command substitutions, nested ones inside their parent', () => {
      assert.deepEqual(commandSubstitutions('X=$(curl -s $(cat /url)) Y=`hostname` Z=$((1+2))'), ['curl -s $(cat /url)', 'hostname']);
    });
  });
});
