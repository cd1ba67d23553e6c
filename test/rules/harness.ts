/**
 * Fixture harness for one rule: documents that must fire (with 1-based line and column of the
 * underline's start), documents that must not, and for fixable rules the text after the rule's
 * fixes, which must parse and be clean for the rule.
 *
 * Fixtures are manifests unless they have a file name: `fileName: 'Dockerfile'` on the suite (or
 * on one case) makes them Dockerfiles, read exactly as the CLI and the editor read a file of that name.
 * `buildContext` gives the files the front end found around a Dockerfile; a fix that creates a file
 * adds it there before the fixed text is checked again, and `createdFiles` pins what it writes.
 */
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { analyzeText, FILE_DIAGNOSTICS } from '../../core/analyze';
import { applyEdits } from '../../core/apply-edits';
import type { BuildContextFacts } from '../../core/dockerfile/build-context';
import { fileTypeOf } from '../../core/file-types';
import type { ImageFactsLookup, ImageFactsView } from '../../core/image-facts';
import type { PodstartSettings } from '../../core/settings';
import { findRule } from '../../rules';

export interface ExpectedFinding {
  line: number;
  column: number;
  /** The end of the underline (1-based, exclusive column), when the case pins the whole range. */
  endLine?: number;
  endColumn?: number;
  /** A fragment the message must contain (names the container and the value). */
  message?: string | RegExp;
}

export interface InvalidCase {
  name: string;
  text: string;
  findings: ExpectedFinding[];
  /** Text after applying the first fix of every finding, when the rule offers one. */
  output?: string;
  /** Title of the fix to apply when a finding offers several (default: the first). */
  fixTitle?: string | RegExp;
  settings?: PodstartSettings;
  /** The file's name (a Dockerfile's, say); default: the suite's. */
  fileName?: string;
  /** What the registry says about image references (rules that need registry facts); default: the suite's. */
  imageFacts?: Record<string, ImageFactsView>;
  /** Files around the Dockerfile (rules that need them); default: the suite's. */
  buildContext?: BuildContextFacts;
  /** The files the chosen fixes create, by path relative to the analysed file's folder. */
  createdFiles?: Record<string, string>;
}

export interface ValidCase {
  name: string;
  text: string;
  settings?: PodstartSettings;
  fileName?: string;
  imageFacts?: Record<string, ImageFactsView>;
  buildContext?: BuildContextFacts;
}

export interface RuleTestSuite {
  /** The name every case's file has unless it says otherwise (`Dockerfile` for Dockerfile rules). */
  fileName?: string;
  /** Registry facts every case sees unless it gives its own: reference as written → facts. */
  imageFacts?: Record<string, ImageFactsView>;
  /** Files around every case's Dockerfile unless it gives its own. */
  buildContext?: BuildContextFacts;
  valid: ValidCase[];
  invalid: InvalidCase[];
}

/** Settings that turn every other rule off, so a fixture tests one rule only. */
export function onlyRule(ruleId: string, extra?: PodstartSettings): PodstartSettings {
  const rule = findRule(ruleId);
  assert.ok(rule, `no rule ${ruleId}`);
  const rules: PodstartSettings['rules'] = {};
  for (const other of (require('../../rules') as typeof import('../../rules')).ALL_RULES) {
    if (other.meta.id !== ruleId) rules[other.meta.id] = 'off';
  }
  return { ...extra, rules: { ...rules, ...(extra?.rules ?? {}) } };
}

/** A lookup answering from a table of facts, as the front ends answer from their registry cache. */
export function lookupFrom(facts: Record<string, ImageFactsView> | undefined): ImageFactsLookup | undefined {
  return facts && ((reference) => (Object.hasOwn(facts, reference) ? facts[reference] : undefined));
}

export function findingsOf(ruleId: string, text: string, settings?: PodstartSettings, fileName?: string, imageFacts?: Record<string, ImageFactsView>, buildContext?: BuildContextFacts) {
  return analyzeText({ text, fileName, settings: onlyRule(ruleId, settings), imageFacts: lookupFrom(imageFacts), buildContext }).findings.filter((finding) => finding.ruleId === ruleId);
}

/** The fixed text must still be a valid file of its kind. */
function assertParses(text: string, fileName: string | undefined): void {
  if (fileTypeOf(fileName) === 'dockerfile') {
    const problems = analyzeText({ text, fileName, settings: { rules: {} } }).findings.filter((finding) => finding.ruleId === FILE_DIAGNOSTICS.invalidDockerfile);
    assert.deepEqual(problems.map((finding) => finding.message), [], 'fixed Dockerfile parses');
    return;
  }
  for (const doc of parseAllDocuments(text) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    assert.deepEqual((doc as { errors: unknown[] }).errors, [], 'fixed text parses');
  }
}

/** Every suite given to runRuleTests, for tests that reuse the fixtures (test/fixes/fix-round-trip.test.ts applies all their fixes). */
export const RULE_SUITES: Array<{ ruleId: string; cases: RuleTestSuite }> = [];

export function runRuleTests(ruleId: string, cases: RuleTestSuite): void {
  RULE_SUITES.push({ ruleId, cases });
  describe(`rule ${ruleId}`, () => {
    describe('does not fire', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, () => {
          const fileName = testCase.fileName ?? cases.fileName;
          const imageFacts = lookupFrom(testCase.imageFacts ?? cases.imageFacts);
          const buildContext = testCase.buildContext ?? cases.buildContext;
          const all = analyzeText({ text: testCase.text, fileName, settings: onlyRule(ruleId, testCase.settings), imageFacts, buildContext }).findings;
          assert.deepEqual(all.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.message}`), []);
        });
      }
    });
    describe('fires', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const fileName = testCase.fileName ?? cases.fileName;
          const imageFacts = testCase.imageFacts ?? cases.imageFacts;
          const buildContext = testCase.buildContext ?? cases.buildContext;
          const findings = findingsOf(ruleId, testCase.text, testCase.settings, fileName, imageFacts, buildContext);
          assert.deepEqual(
            findings.map((finding) => ({ line: finding.range.start.line + 1, column: finding.range.start.character + 1 })),
            testCase.findings.map(({ line, column }) => ({ line, column })),
            'finding positions',
          );
          testCase.findings.forEach((expected, index) => {
            if (expected.endLine === undefined && expected.endColumn === undefined) return;
            const { end } = findings[index].range;
            assert.deepEqual({ endLine: end.line + 1, endColumn: end.character + 1 }, { endLine: expected.endLine ?? expected.line, endColumn: expected.endColumn }, `end of finding ${index + 1}`);
          });
          testCase.findings.forEach((expected, index) => {
            if (expected.message instanceof RegExp) assert.match(findings[index].message, expected.message);
            else if (expected.message) assert.ok(findings[index].message.includes(expected.message), `message "${findings[index].message}" lacks "${expected.message}"`);
          });
          if (testCase.output === undefined) return;
          const chosen = findings.map((finding) => {
            const fix = testCase.fixTitle
              ? finding.fixes.find((candidate) => (typeof testCase.fixTitle === 'string' ? candidate.title === testCase.fixTitle : testCase.fixTitle!.test(candidate.title)))
              : finding.fixes[0];
            assert.ok(fix, `finding at line ${finding.range.start.line + 1} offers no fix`);
            return fix;
          });
          const fixed = applyEdits(testCase.text, chosen.flatMap((fix) => fix.edits));
          assert.equal(fixed, testCase.output);
          assertParses(fixed, fileName);
          const created = Object.fromEntries(chosen.flatMap((fix) => fix.createFiles ?? []).map((file) => [file.relativePath, file.text]));
          if (testCase.createdFiles) assert.deepEqual(created, testCase.createdFiles, 'files the fixes create');
          const contextAfter = buildContext && { existingFiles: [...buildContext.existingFiles, ...Object.keys(created)] };
          const remaining = findingsOf(ruleId, fixed, testCase.settings, fileName, imageFacts, contextAfter);
          // A fix clears its finding; an action that keeps it (pin a large image) leaves it where it was.
          const kept = chosen.filter((fix) => fix.keepsFinding).length;
          assert.equal(remaining.length, kept, `after the fix the rule reports ${remaining.map((finding) => finding.message).join(' | ') || 'nothing'}`);
        });
      }
    });
  });
}
