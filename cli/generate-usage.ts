/**
 * The help of `podstart generate` and of each generator, written from the generators' own
 * declarations (id, description, options with their choices and defaults), so that it cannot fall
 * behind them.
 */
import { generatorById, GENERATORS, type GeneratorOption } from '../core/generate';
import { optionFlag } from '../core/generate/option-values';
import { STARTUP_PROBE_ID } from './generate-arguments';

const COLUMN = 30;

const WIDTH = 100;

/** Words in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((candidate) => candidate !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** `  --flag VALUE               description`, wrapped under the description column. */
function row(left: string, description: string): string {
  const lines = wrap(description, WIDTH - COLUMN);
  const head = `  ${left}`;
  const first = head.length < COLUMN ? `${head.padEnd(COLUMN)}${lines[0]}` : `${head}\n${' '.repeat(COLUMN)}${lines[0]}`;
  return [first, ...lines.slice(1).map((rest) => `${' '.repeat(COLUMN)}${rest}`)].join('\n');
}

const PLACEHOLDER: Record<GeneratorOption['type'], string> = { string: 'TEXT', number: 'N', boolean: '', choice: '', 'string-list': 'A,B' };

function formatDefault(value: GeneratorOption['default']): string | undefined {
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

function optionRows(option: GeneratorOption): string[] {
  const flag = optionFlag(option);
  const choices = option.choices ?? [];
  const value = option.type === 'choice' ? choices.map((choice) => choice.value).join('|') : PLACEHOLDER[option.type];
  const left = option.type === 'boolean' ? `${flag}, --no-${flag.slice(2)}` : `${flag} ${value}`;
  const fallback = formatDefault(option.default);
  const extra = [option.type === 'string-list' ? 'repeatable or comma-separated' : undefined, fallback === undefined ? undefined : `default: ${fallback}`].filter(Boolean);
  const rows = [row(left, `${option.description}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`)];
  for (const choice of choices) rows.push(row(`    ${choice.value}`, `${choice.label}${choice.description ? `: ${choice.description}` : ''}`));
  return rows;
}

const SHARED_OPTIONS = `Options of every generator:
  -o, --output FILE           Write the file there instead of to standard output
  --force                     Overwrite the -o file if it exists
  --kubernetes-version X.Y    The Kubernetes release your clusters run (default: the nearest
                              .podstart.yaml's kubernetesVersion, else 1.34)
  --config FILE               Use FILE instead of the nearest .podstart.yaml
  --max-file-size BYTES       Leave larger manifests out (default 5242880)
  --registry                  Look the images up in their registries first: digests to pin the
                              images to, sizes for size thresholds (podstart check --help has the
                              --platform, --registry-timeout, --insecure-registry and
                              --no-registry-cache options that go with it)
  -h, --help                  Show the help of one generator`;

const STARTUP_PROBE_USAGE = `Usage: podstart generate ${STARTUP_PROBE_ID} FILE [--container NAME] [--write | -o FILE]

Adds a startupProbe made from each container's readinessProbe (same check, a failure budget for
the slowest start) to a manifest, and prints the manifest with it (- reads standard input). The
probe rules' quick fix and the editor's "Podstart: Add Startup Probe" make the same edit.

Options:
  --container NAME            Only this container (default: every container with a readinessProbe
                              and no startupProbe)
  --write                     Write the manifest in place instead of printing it
  -o, --output FILE           Write the result to FILE (--force to overwrite it)
  --kubernetes-version X.Y    The Kubernetes release your clusters run

Exit codes: 0 a probe was added, 1 no container could have one (the reason is on stderr),
            2 usage or I/O error.
`;

export function generateUsage(id?: string): string {
  if (id === STARTUP_PROBE_ID) return STARTUP_PROBE_USAGE;
  const generator = id === undefined ? undefined : generatorById(id);
  if (!generator) {
    const list = [...GENERATORS.map((candidate) => row(candidate.id, candidate.description)), row(STARTUP_PROBE_ID, 'A startupProbe from a container\'s readinessProbe, added to a manifest')];
    return `Usage: podstart generate <generator> [paths...] [options]

Writes a new file from the workspace's own manifests, so that the images it lists stay those you
deploy. Folders are searched recursively for *.yaml and *.yml files as \`podstart check\` does
(node_modules and .git skipped, the nearest .podstart.yaml's ignore list applied); without paths,
the current folder. The file goes to standard output (or -o FILE), what was chosen and why to
standard error.

Generators:
${list.join('\n')}

${SHARED_OPTIONS}

\`podstart generate <generator> --help\` lists the generator's own options.
Exit codes: 0 written, 2 usage or I/O error, or nothing to generate (no images found).
`;
  }
  const own = generator.options.flatMap(optionRows);
  return `Usage: podstart generate ${generator.id} ${generator.usesImages ? '[paths...] ' : ''}[options]

${wrap(`${generator.title.replace(/^Generate /, '')}: ${generator.description}`, WIDTH).join('\n')}

${own.length > 0 ? `Options of ${generator.id}:\n${own.join('\n')}\n\n` : ''}${SHARED_OPTIONS}
`;
}
