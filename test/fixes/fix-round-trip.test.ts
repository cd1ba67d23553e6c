/**
 * Fixes never lose data (issue 8, item 6): every fix of every finding, applied on its own to the
 * file it was offered for, must leave a file that still parses, must clear its finding there, and
 * must change no byte outside its own edits. Run over the real-world corpus (../shared/corpus; the
 * test skips itself without it), and over the repository's examples and every rule's fixtures
 * (test/rules/), so CI without the corpus still exercises it. A fix that keeps its finding on purpose
 * (`keepsFinding`: pin a large image) is checked for (1) and (3) only.
 *
 * Each file is checked twice: offline, as the CLI runs without registry access, and with a registry
 * that knows every image (large, with a digest), so the fixes that need registry facts (pin to the
 * digest) are applied too. The whole corpus takes about 20 s here, so `npm test` checks all of it
 * rather than a sample.
 * PODSTART_FIX_ROUND_TRIP_REPORT=1 prints the counts and the fixes that leave a lesser finding.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { analyzeText, FILE_DIAGNOSTICS, type AnalysisResult, type AnalyzedFinding } from '../../core/analyze';
import { applyEdits } from '../../core/apply-edits';
import type { BuildContextFacts } from '../../core/dockerfile/build-context';
import { fileTypeOf, type FileType } from '../../core/file-types';
import type { ImageFactsLookup } from '../../core/image-facts';
import type { PodstartSettings } from '../../core/settings';
import type { Fix, TextEdit } from '../../core/types';
import { splitYamlDocuments } from '../../core/yaml-documents';
import { lookupFrom, RULE_SUITES } from '../rules/harness';

const ROOT = path.resolve(__dirname, '../..');
const CORPUS = path.resolve(ROOT, '../shared/corpus');
const CORPUS_FOLDERS = ['manifests', 'gpu', 'kubelet', 'dockerfiles'];
/**
 * A registry that knows every image: a digest derived from the reference, and 3 GB in 40 layers, so
 * the rules that weigh images fire and offer their registry-backed fixes.
 */
const KNOWING_REGISTRY: ImageFactsLookup = (reference) => ({
  digest: `sha256:${createHash('sha256').update(reference).digest('hex')}`,
  compressedSize: 3 * 1024 ** 3,
  layerCount: 40,
});

interface Subject {
  /** Path shown in failures, relative to the repository or the corpus. */
  label: string;
  text: string;
  fileName: string;
  fileType: FileType;
  /** For Dockerfiles: no ignore file around them, so the fix that creates one is exercised too. */
  buildContext?: BuildContextFacts;
  imageFacts?: ImageFactsLookup;
  settings?: PodstartSettings;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** The corpus Dockerfiles are flattened (`owner__repo__path__Dockerfile`): their upstream name, from SOURCES.tsv, is the name the CLI would see. */
function upstreamNames(): Map<string, string> {
  const sources = path.join(CORPUS, 'SOURCES.tsv');
  if (!existsSync(sources)) return new Map();
  return new Map(readFileSync(sources, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
    const [local, , upstream] = line.split('\t');
    return [local, upstream];
  }));
}

function subjectOf(label: string, full: string, fileName: string, fileType: FileType): Subject {
  return { label, text: readFileSync(full, 'utf8'), fileName, fileType, buildContext: fileType === 'dockerfile' ? { existingFiles: [] } : undefined };
}

function corpusSubjects(): Subject[] {
  const upstream = upstreamNames();
  const subjects = CORPUS_FOLDERS.filter((folder) => existsSync(path.join(CORPUS, folder))).flatMap((folder) =>
    filesUnder(path.join(CORPUS, folder)).map((full) => {
      const label = path.relative(CORPUS, full).split(path.sep).join('/');
      // The folder says what a corpus file is, as the CLI's file name would.
      if (folder === 'dockerfiles') return subjectOf(label, full, upstream.get(label) ?? path.basename(full), 'dockerfile');
      return subjectOf(label, full, full, fileTypeOf(full));
    }),
  );
  return subjects;
}

function repositorySubjects(): Subject[] {
  const folders = ['examples', 'test/e2e/fixtures/workspace'].map((folder) => path.join(ROOT, folder)).filter(existsSync);
  return folders.flatMap(filesUnder).filter((full) => /\.(ya?ml|json)$/i.test(full) || fileTypeOf(full) === 'dockerfile').map((full) => {
    const label = path.relative(ROOT, full).split(path.sep).join('/');
    return subjectOf(label, full, full, fileTypeOf(full));
  });
}

const MOCHA_GLOBALS = ['describe', 'context', 'it', 'specify', 'before', 'after', 'beforeEach', 'afterEach'] as const;

/**
 * The cases of every rule's fixture suite (test/rules/), with all rules on. A full `npx mocha` has
 * loaded those files already; run alone, this loads them with mocha's functions stubbed out so
 * their tests are not registered twice, only their suites recorded.
 */
function ruleFixtureSubjects(): Subject[] {
  const globals = globalThis as Record<string, unknown>;
  const saved = MOCHA_GLOBALS.map((name) => globals[name]);
  for (const name of MOCHA_GLOBALS) globals[name] = name === 'describe' || name === 'context' ? (_title: string, body: () => void) => body() : () => undefined;
  try {
    for (const file of filesUnder(path.join(ROOT, 'test/rules')).filter((full) => full.endsWith('.test.ts'))) require(file);
  } finally {
    MOCHA_GLOBALS.forEach((name, index) => (globals[name] = saved[index]));
  }
  const seen = new Set<string>();
  return RULE_SUITES.flatMap(({ ruleId, cases }) =>
    [...cases.valid, ...cases.invalid].flatMap((testCase) => {
      const label = `test/rules/${ruleId}.test.ts "${testCase.name}"`;
      if (seen.has(label)) return [];
      seen.add(label);
      const fileName = testCase.fileName ?? cases.fileName ?? 'manifest.yaml';
      const fileType = fileTypeOf(fileName);
      const imageFacts = lookupFrom(testCase.imageFacts ?? cases.imageFacts);
      return [{ label, text: testCase.text, fileName, fileType, settings: testCase.settings, imageFacts, buildContext: testCase.buildContext ?? cases.buildContext ?? (fileType === 'dockerfile' ? { existingFiles: [] } : undefined) }];
    }),
  );
}

function analyse(subject: Subject, text: string, buildContext = subject.buildContext): AnalysisResult {
  return analyzeText({ text, fileName: subject.fileName, fileType: subject.fileType, buildContext, imageFacts: subject.imageFacts, settings: subject.settings });
}

/** Errors of each YAML document, by document; documents whose text a fix left alone are not parsed twice. */
function yamlErrorCounts(text: string, memo: Map<string, number>): number[] {
  return splitYamlDocuments(text).map((chunk) => {
    let count = memo.get(chunk.text);
    if (count === undefined) {
      count = parseDocument(chunk.text, { uniqueKeys: false }).errors.length;
      memo.set(chunk.text, count);
    }
    return count;
  });
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Where an offset of the original text lands in the fixed text; an offset inside an edit lands at its start (or end). */
function mapOffset(offset: number, edits: readonly TextEdit[], side: 'start' | 'end'): number {
  let delta = 0;
  for (const edit of edits) {
    if (offset < edit.start || (offset === edit.start && side === 'start')) break;
    if (offset < edit.end || (offset === edit.end && side === 'end' && edit.start === edit.end)) {
      return side === 'start' ? edit.start + delta : edit.start + delta + edit.newText.length;
    }
    delta += edit.newText.length - (edit.end - edit.start);
  }
  return offset + delta;
}

interface Tally {
  files: number;
  findings: number;
  fixes: number;
  /** Fixes applied, by rule, for the report. */
  byRule: Map<string, number>;
  /** Findings whose fix deliberately leaves a lesser finding of the same rule (another message) at that place. */
  lesser: string[];
  failures: string[];
}

/** Checks one fix of one finding; returns what went wrong, empty when nothing did. */
function checkFix(subject: Subject, original: AnalysisResult, finding: AnalyzedFinding, fix: Fix, tally: Tally, yamlMemo: Map<string, number>): string[] {
  const problems: string[] = [];
  const { text } = subject;
  const edits = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const [index, edit] of edits.entries()) {
    if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= text.length)) problems.push(`edit ${edit.start}-${edit.end} lies outside the file (${text.length} characters)`);
    if (index > 0 && edit.start < edits[index - 1].end) problems.push(`edits ${edits[index - 1].start}-${edits[index - 1].end} and ${edit.start}-${edit.end} overlap: one of them would be dropped`);
    // A CRLF file keeps CRLF, an LF file keeps LF: a fix must not leave mixed line endings behind.
    if (!text.includes('\r') && edit.newText.includes('\r')) problems.push(`edit at ${edit.start} writes CR into an LF file`);
    if (text.includes('\r\n') && /(^|[^\r])\n/.test(edit.newText)) problems.push(`edit at ${edit.start} writes a bare LF into a CRLF file`);
  }
  for (const created of fix.createFiles ?? []) {
    if (created.text.trim() === '') problems.push(`creates ${created.relativePath} empty`);
    if (created.relativePath.startsWith('/') || created.relativePath.split('/').includes('..')) problems.push(`creates ${created.relativePath} outside the file's folder`);
  }
  if (problems.length > 0) return problems;

  const fixed = applyEdits(text, edits);
  // (3) Every byte outside the edits is where it was, shifted by the edits before it.
  let cursor = 0;
  let delta = 0;
  for (const edit of [...edits, { start: text.length, end: text.length, newText: '' }]) {
    if (fixed.slice(cursor + delta, edit.start + delta) !== text.slice(cursor, edit.start)) problems.push(`bytes ${cursor}-${edit.start} outside the edits changed`);
    delta += edit.newText.length - (edit.end - edit.start);
    cursor = edit.end;
  }
  if (fixed.length !== text.length + delta) problems.push(`fixed text is ${fixed.length} characters, expected ${text.length + delta}`);

  const createdNames = (fix.createFiles ?? []).map((file) => file.relativePath);
  const buildContext = subject.buildContext && { existingFiles: [...subject.buildContext.existingFiles, ...createdNames] };
  const after = analyse(subject, fixed, buildContext);

  // (1) It still parses.
  if (subject.fileType === 'dockerfile') {
    const broken = (result: AnalysisResult) => result.findings.filter((one) => one.ruleId === FILE_DIAGNOSTICS.invalidDockerfile).length;
    if (broken(after) > broken(original)) problems.push('fixed Dockerfile no longer parses');
  } else {
    const beforeCounts = yamlErrorCounts(text, yamlMemo);
    const afterCounts = yamlErrorCounts(fixed, yamlMemo);
    if (afterCounts.length !== beforeCounts.length) problems.push(`fix turned ${beforeCounts.length} YAML documents into ${afterCounts.length}`);
    else afterCounts.forEach((count, index) => count > beforeCounts[index] && problems.push(`YAML document ${index + 1} has ${count} parse errors after the fix, ${beforeCounts[index]} before`));
    if (/\.json$/i.test(subject.fileName) && parsesAsJson(text) && !parsesAsJson(fixed)) problems.push('fixed JSON no longer parses as JSON');
  }

  // (2) The rule no longer fires there: not at the finding's place (mapped through the edits), and not again on its object with the same message.
  if (!fix.keepsFinding) {
    const start = mapOffset(finding.start, edits, 'start');
    const end = mapOffset(finding.end, edits, 'end');
    const sameObject = (other: AnalyzedFinding) => (finding.object && other.object ? finding.object.kind === other.object.kind && finding.object.name === other.object.name : true);
    const there = after.findings.filter((other) => other.ruleId === finding.ruleId && sameObject(other) && other.start <= end && other.end >= start);
    const sameMessage = (list: AnalyzedFinding[]) => list.filter((other) => other.ruleId === finding.ruleId && sameObject(other) && other.message === finding.message).length;
    if (there.some((other) => other.message === finding.message)) problems.push('the same finding is still reported at the same place');
    else if (sameMessage(after.findings) >= sameMessage(original.findings)) problems.push('the same finding is still reported on the same object');
    else if (there.length > 0) tally.lesser.push(`${subject.label}:${finding.range.start.line + 1} ${finding.ruleId} "${fix.title}" leaves: ${there.map((other) => other.message).join(' | ')}`);
  }
  return problems;
}

function roundTrip(files: Subject[]): Tally {
  const tally: Tally = { files: files.length, findings: 0, fixes: 0, byRule: new Map(), lesser: [], failures: [] };
  // Files that bring their own registry answers (rule fixtures) are checked with those only.
  const subjects = files.flatMap((file) => (file.imageFacts ? [file] : [file, { ...file, label: `${file.label} (registry)`, imageFacts: KNOWING_REGISTRY }]));
  for (const subject of subjects) {
    const original = analyse(subject, subject.text);
    const yamlMemo = new Map<string, number>();
    for (const finding of original.findings) {
      tally.findings++;
      for (const fix of finding.fixes) {
        tally.fixes++;
        tally.byRule.set(finding.ruleId, (tally.byRule.get(finding.ruleId) ?? 0) + 1);
        let problems: string[];
        try {
          problems = checkFix(subject, original, finding, fix, tally, yamlMemo);
        } catch (error) {
          problems = [`threw ${(error as Error).stack}`];
        }
        for (const problem of problems) tally.failures.push(`${subject.label}:${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.ruleId} "${fix.title}": ${problem}`);
      }
    }
  }
  return tally;
}

function report(name: string, tally: Tally, started: number): void {
  if (process.env.PODSTART_FIX_ROUND_TRIP_REPORT === '1') {
    console.log(`      ${name}: ${tally.files} files, ${tally.findings} findings, ${tally.fixes} fixes applied, ${tally.failures.length} failures, ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`        fixes by rule: ${[...tally.byRule].map(([rule, count]) => `${rule} ${count}`).join(', ')}`);
    for (const line of tally.lesser) console.log(`        lesser finding kept: ${line}`);
  }
}

describe('fixes never lose data (fix round trip)', () => {
  it('applies every fix of every finding in examples/ and the editor test workspace without breaking anything', function () {
    this.timeout(60_000);
    const started = Date.now();
    const tally = roundTrip(repositorySubjects());
    report('repository', tally, started);
    assert.ok(tally.files >= 5, `only ${tally.files} files found in examples/`);
    assert.ok(tally.fixes > 0, 'the examples offer fixes (they are there to show them)');
    assert.deepEqual(tally.failures, []);
  });

  it('applies every fix of every finding in the rule fixtures (test/rules/) without breaking anything', function () {
    this.timeout(60_000);
    const started = Date.now();
    const tally = roundTrip(ruleFixtureSubjects());
    report('rule fixtures', tally, started);
    assert.ok(tally.files >= 300, `only ${tally.files} rule fixture cases found`);
    assert.ok(tally.fixes > 100, `only ${tally.fixes} fixes offered by the rule fixtures`);
    assert.deepEqual(tally.failures, []);
  });

  // mocha's skip takes no reason: the title carries it.
  it(`applies every fix of every finding in the corpus without breaking anything${existsSync(CORPUS) ? '' : ` (skipped: no corpus at ${CORPUS})`}`, function () {
    if (!existsSync(CORPUS)) this.skip();
    this.timeout(180_000);
    const started = Date.now();
    const tally = roundTrip(corpusSubjects());
    report('corpus', tally, started);
    // 913 corpus files in four folders (STATS.md); a much smaller number means the corpus moved.
    assert.ok(tally.files >= 800, `only ${tally.files} corpus files found`);
    assert.ok(tally.fixes > 100, `only ${tally.fixes} fixes offered over the corpus`);
    assert.deepEqual(tally.failures, []);
  });
});
