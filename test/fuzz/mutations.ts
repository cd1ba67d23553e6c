/**
 * Seeds and mutations for the fuzzer (test/fuzz/fuzz.test.ts): real files (the shared corpus, or the
 * repository's own examples and fixtures when the corpus is absent, as in CI) bent the ways an editor
 * buffer or a bad copy bends them: cut short, re-indented, sprinkled with bytes, keys doubled, nested
 * ten thousand deep, a megabyte scalar, alias ladders, CRLF, BOM and NUL.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';

export const REPO_ROOT = path.join(__dirname, '..', '..');
export const CORPUS = path.join(REPO_ROOT, '..', 'shared', 'corpus');

export interface Seed {
  /** The file name the text is analysed under: it decides manifest, Dockerfile or kubelet JSON. */
  file: string;
  text: string;
}

/** Seeds larger than this are left out: a mutation of a 75k-line bundle measures the bundle, not the mutation. */
const MAX_SEED_BYTES = 256 * 1024;
const SEED_NAME = /(\.ya?ml|\.json|dockerfile[^/]*|containerfile[^/]*)$/i;

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(folder, name))
    .filter((file) => SEED_NAME.test(path.basename(file)) && statSync(file).isFile() && statSync(file).size <= MAX_SEED_BYTES)
    .sort();
}

/** The corpus's manifests, kubelet configurations, GPU manifests and Dockerfiles; else the repository's examples and test fixtures. */
export function loadSeeds(): { source: string; seeds: Seed[] } {
  const corpus = ['manifests', 'kubelet', 'gpu', 'dockerfiles'].flatMap((folder) => filesUnder(path.join(CORPUS, folder)));
  const files = corpus.length > 0 ? corpus : [...filesUnder(path.join(REPO_ROOT, 'examples')), ...filesUnder(path.join(REPO_ROOT, 'test', 'generate', 'fixtures'))];
  const source = corpus.length > 0 ? CORPUS : 'examples/ and test fixtures';
  return { source, seeds: files.map((file) => ({ file, text: readFileSync(file, 'utf8') })) };
}

export interface Mutation {
  /** What was done, for the counterexample fast-check prints. */
  label: string;
  apply(text: string): string;
}

/** A position in [0, length], drawn as a fraction so one arbitrary serves texts of every size. */
const fraction = fc.oneof(
  // Unbiased: fast-check's default bias keeps small numbers, which would put nearly every mutation at offset 0.
  { arbitrary: fc.noBias(fc.integer({ min: 0, max: 1_000_000 })).map((n) => n / 1_000_000), weight: 4 },
  { arbitrary: fc.constantFrom(0, 1), weight: 1 },
);
const at = (text: string, where: number) => Math.min(text.length, Math.floor(where * text.length));
const lineStarts = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((match) => match.index! + 1)];

const truncate = fraction.map<Mutation>((where) => ({ label: `truncate at ${where.toFixed(3)}`, apply: (text) => text.slice(0, at(text, where)) }));

const indentShift = fc.tuple(fraction, fc.integer({ min: 1, max: 40 }), fc.integer({ min: -6, max: 6 })).map<Mutation>(([where, count, delta]) => ({
  label: `indent ${count} lines by ${delta}`,
  apply(text) {
    const lines = text.split('\n');
    const first = Math.floor(where * lines.length);
    for (let index = first; index < Math.min(lines.length, first + count); index++) {
      lines[index] = delta >= 0 ? ' '.repeat(delta) + lines[index] : lines[index].replace(new RegExp(`^ {0,${-delta}}`), '');
    }
    return lines.join('\n');
  },
}));

/** Any UTF-16 code unit, lone surrogates and control characters included: what a binary paste gives. */
const randomUnits = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 16 }).map((units) => String.fromCharCode(...units));
const randomBytes = fc.tuple(fraction, randomUnits, fc.boolean()).map<Mutation>(([where, units, replace]) => ({
  label: `${replace ? 'replace' : 'insert'} ${JSON.stringify(units)} at ${where.toFixed(3)}`,
  apply: (text) => text.slice(0, at(text, where)) + units + text.slice(at(text, where) + (replace ? units.length : 0)),
}));

const duplicateKey = fraction.map<Mutation>((where) => ({
  label: `duplicate a key line near ${where.toFixed(3)}`,
  apply(text) {
    const lines = text.split('\n');
    const keyed = lines.map((line, index) => (/^\s*(- )?[\w.\/-]+:/.test(line) ? index : -1)).filter((index) => index >= 0);
    if (keyed.length === 0) return text;
    const index = keyed[Math.floor(where * keyed.length) % keyed.length];
    lines.splice(index + 1, 0, lines[index]);
    return lines.join('\n');
  },
}));

const NESTINGS = ['[', '{', '- ', 'a:\n', '{a: '] as const;
const deepNesting = fc.tuple(fraction, fc.constantFrom(...NESTINGS), fc.integer({ min: 100, max: 10_000 })).map<Mutation>(([where, opener, depth]) => ({
  label: `nest ${JSON.stringify(opener)} ${depth} deep at line ${where.toFixed(3)}`,
  apply(text) {
    const starts = lineStarts(text);
    const offset = starts[Math.floor(where * starts.length) % starts.length];
    // Block mappings nest by indentation: each level one space deeper.
    const nested = opener === 'a:\n' ? Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}a:\n`).join('') : opener.repeat(depth);
    return `${text.slice(0, offset)}${nested}\n${text.slice(offset)}`;
  },
}));

const hugeScalar = fc.tuple(fraction, fc.constantFrom('x', 'é', '\\', '"', ' ')).map<Mutation>(([where, unit]) => ({
  label: `1 MB scalar of ${JSON.stringify(unit)} at ${where.toFixed(3)}`,
  apply(text) {
    const big = unit.repeat(1024 * 1024);
    const value = /:\s*\S/.exec(text.slice(at(text, where)));
    // After a key when there is one (a huge value), else where it falls (a huge line).
    const offset = value ? at(text, where) + value.index + 2 : at(text, where);
    return text.slice(0, offset) + big + text.slice(offset);
  },
}));

/** `a0: &a0 [x,x,...]`, `a1: &a1 [*a0,*a0,...]`, ...: width^levels nodes once expanded. */
const aliasBomb = fc.tuple(fraction, fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), fc.boolean()).map<Mutation>(([where, levels, width, flow]) => ({
  label: `alias ladder ${levels} levels × ${width} wide (${flow ? 'flow' : 'block'}) at line ${where.toFixed(3)}`,
  apply(text) {
    const starts = lineStarts(text);
    const offset = starts[Math.floor(where * starts.length) % starts.length];
    const indent = /^ */.exec(text.slice(offset))![0];
    const ladder = [`${indent}a0: &a0 [${Array(width).fill('lol').join(',')}]`];
    for (let level = 1; level < levels; level++) {
      const items = Array(width).fill(`*a${level - 1}`);
      ladder.push(flow ? `${indent}a${level}: &a${level} [${items.join(',')}]` : `${indent}a${level}: &a${level}\n${items.map((item) => `${indent}  - ${item}`).join('\n')}`);
    }
    ladder.push(`${indent}image: *a${levels - 1}`);
    return `${text.slice(0, offset)}${ladder.join('\n')}\n${text.slice(offset)}`;
  },
}));

const encoding = fc.tuple(fc.constantFrom('crlf', 'bom', 'nul', 'cr'), fraction).map<Mutation>(([kind, where]) => ({
  label: `${kind} at ${where.toFixed(3)}`,
  apply(text) {
    if (kind === 'crlf') return text.replace(/\n/g, '\r\n');
    if (kind === 'cr') return text.replace(/\n/g, '\r');
    if (kind === 'bom') return `\uFEFF${text}`;
    return `${text.slice(0, at(text, where))}\0${text.slice(at(text, where))}`;
  },
}));

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(truncate, indentShift, randomBytes, duplicateKey, deepNesting, hugeScalar, aliasBomb, encoding);

export interface MutatedCase {
  file: string;
  mutations: string[];
  text: string;
}

/** One seed with one to three mutations applied in turn. */
export function mutatedCase(seeds: readonly Seed[]): fc.Arbitrary<MutatedCase> {
  return fc.tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([index, mutations]) => {
    const mutated: MutatedCase = {
      file: seeds[index].file,
      mutations: mutations.map((step) => step.label),
      text: mutations.reduce((text, step) => step.apply(text), seeds[index].text),
    };
    // fast-check prints a counterexample with this instead of a megabyte of text.
    return Object.assign(mutated, { [fc.toStringMethod]: () => describeCase(mutated) });
  });
}

/** fast-check's settings: a fixed seed and a small count in `npm test`; `npm run fuzz` sets PODSTART_FUZZ_RUNS and draws a seed. */
export function fuzzParameters(defaultRuns: number, share: number): { seed: number; numRuns: number; endOnFailure: true } {
  const runs = process.env.PODSTART_FUZZ_RUNS ? Number(process.env.PODSTART_FUZZ_RUNS) : defaultRuns;
  const seed = process.env.PODSTART_FUZZ_SEED ? Number(process.env.PODSTART_FUZZ_SEED) : process.env.PODSTART_FUZZ_RUNS ? Math.floor(Math.random() * 2 ** 31) : 20261207;
  return { seed, numRuns: Math.max(1, Math.round(runs * share)), endOnFailure: true };
}

/** What a counterexample looks like in a failure message: the mutations and the file, not a megabyte of text. */
export function describeCase(mutated: MutatedCase): string {
  return `${path.basename(mutated.file)} after ${mutated.mutations.join(', ')} (${mutated.text.length} chars)`;
}
