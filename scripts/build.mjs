// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
import { readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  minifyWhitespace: false,
  // Strings as \u escapes: V8 reads and compiles an all-ASCII file as one-byte text, ~10 ms faster
  // for the server than the same file with a single non-ASCII character (see asciiOnly below).
  charset: 'ascii',
};

// Code the server and the CLI need only for some work, bundled on its own and loaded on first use
// by its accessor module (the only place that requires it), from next to the bundle running: the
// server then starts without reading, compiling or initialising it. @kubernetes/client-node and
// node-fetch (1.8 MB) only read a cluster; dockerfile-ast only parses Dockerfiles.
const ON_DEMAND = [
  { accessor: 'core/cluster/kube-client-module.ts', request: './kube-client', entry: 'core/cluster/kube-client.ts', bundle: 'kube-client.js' },
  { accessor: 'core/dockerfile/dockerfile-ast-module.ts', request: 'dockerfile-ast', entry: 'dockerfile-ast', bundle: 'dockerfile-ast.js' },
];

const loadOnDemand = {
  name: 'load-on-demand',
  setup(builder) {
    for (const { accessor, request, bundle } of ON_DEMAND) {
      const filter = new RegExp(`^${request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      builder.onResolve({ filter }, (args) => (args.importer.replaceAll('\\', '/').endsWith(accessor) ? { path: `./${bundle}`, external: true } : undefined));
    }
  },
};

// esbuild's charset leaves non-ASCII in regular expression literals and comments (and in raw
// template text, where an escape would change the value). Escaped in the first two, where \uXXXX
// means the same character; a line of any other shape is left and named, since one such character
// makes the whole bundle two-byte text again.
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;
const REGEXP_LINE = /^\s*(?:(?:var|let|const)\s+)?[\w$.]+\s*=\s*\/.+\/[dgimsuyv]*;?$/;
function asciiOnly(file, { warn }) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const left = [];
  const escaped = lines.map((line, index) => {
    if (!/[^\x00-\x7f]/.test(line)) return line;
    if (line.includes('`') || !(COMMENT_LINE.test(line) || REGEXP_LINE.test(line))) {
      left.push(index + 1);
      return line;
    }
    return line.replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  });
  writeFileSync(file, escaped.join('\n'));
  if (warn && left.length > 0) console.warn(`${file}: non-ASCII left on line ${left.join(', ')}, so it is read and compiled as two-byte text (slower start); write \\u escapes in the source.`);
}

await Promise.all([
  build({ ...common, entryPoints: ['client/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/server.ts'], outfile: 'dist/server.js', plugins: [loadOnDemand] }),
  build({ ...common, entryPoints: ['cli/main.ts'], outfile: 'dist/cli.js', plugins: [loadOnDemand] }),
  ...ON_DEMAND.map(({ entry, bundle }) => build({ ...common, entryPoints: [entry], outfile: `dist/${bundle}` })),
]);
// The server and the CLI are on the start path; the on-demand bundles are read once, later.
asciiOnly('dist/server.js', { warn: true });
asciiOnly('dist/cli.js', { warn: true });
for (const { bundle } of ON_DEMAND) asciiOnly(`dist/${bundle}`, { warn: false });
