/**
 * The rule catalog keeps its promises: every rule has a file named by its id, meta a reader can
 * learn from, a documentation page whose examples really fire (Bad) and really do not (Good), and
 * fixtures; and the core stays free of editor and server code.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { analyzeText } from '../../core/analyze';
import { targetOf, type Rule } from '../../core/rule';
import { SEVERITIES } from '../../core/settings';
import { STAGE_TITLES, type Stage } from '../../core/types';
import { ALL_RULES } from '../../rules';
import { DOC_EXAMPLE_IMAGE_FACTS, FIX_LABELS, firstDockerfileBlock, firstYamlBlock, PROJECT_ROOT, readRuleDocPage, REQUIRED_SECTIONS, RULE_DOCS_DIR, section } from '../../scripts/rule-doc-page';

const RULES_DIR = path.join(PROJECT_ROOT, 'rules');
const CORE_DIR = path.join(PROJECT_ROOT, 'core');
const RULE_TESTS_DIR = path.join(PROJECT_ROOT, 'test', 'rules');
const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The registry's answers for the images the examples name (rules that need registry facts). */
const imageFacts = (reference: string) => (Object.hasOwn(DOC_EXAMPLE_IMAGE_FACTS, reference) ? DOC_EXAMPLE_IMAGE_FACTS[reference] : undefined);

/**
 * What a rule's examples are written in, and how they are read: manifests as YAML, Dockerfiles as a
 * file named `Dockerfile` alone in its folder (no .dockerignore beside it).
 */
const EXAMPLES = {
  manifest: { fence: 'yaml', block: firstYamlBlock, analyze: (text: string) => analyzeText({ text, imageFacts }), invalid: 'invalid-yaml' },
  kubelet: { fence: 'yaml', block: firstYamlBlock, analyze: (text: string) => analyzeText({ text }), invalid: 'invalid-yaml' },
  dockerfile: { fence: 'dockerfile', block: firstDockerfileBlock, analyze: (text: string) => analyzeText({ text, fileName: 'Dockerfile', imageFacts, buildContext: { existingFiles: [] } }), invalid: 'invalid-dockerfile' },
} as const;

function examplesOf(rule: Rule<any>) {
  return EXAMPLES[targetOf(rule)];
}

function ruleFindings(rule: Rule<any>, text: string) {
  return examplesOf(rule).analyze(text).findings.filter((finding) => finding.ruleId === rule.meta.id);
}

describe('rule catalog', () => {
  it('has at least one rule and unique ids', () => {
    const ids = ALL_RULES.map((rule) => rule.meta.id);
    assert.ok(ids.length > 0);
    assert.deepEqual(ids.filter((id, index) => ids.indexOf(id) !== index), [], 'duplicate rule ids');
  });

  it('lists every rule file in ALL_RULES', () => {
    const files = readdirSync(RULES_DIR).filter((name) => name.endsWith('.ts') && name !== 'index.ts').map((name) => name.slice(0, -3));
    const ids = new Set(ALL_RULES.map((rule) => rule.meta.id));
    assert.deepEqual(files.filter((file) => !ids.has(file)), [], 'rule files missing from rules/index.ts');
  });

  it('has no documentation page without a rule', () => {
    const ids = new Set(ALL_RULES.map((rule) => rule.meta.id));
    const pages = readdirSync(RULE_DOCS_DIR).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3));
    assert.deepEqual(pages.filter((page) => !ids.has(page)), [], 'pages in docs/rules with no rule');
  });

  for (const rule of ALL_RULES) {
    const { meta } = rule;
    describe(meta.id, () => {
      it('is defined in rules/<id>.ts, a kebab-case file name', () => {
        assert.match(meta.id, KEBAB_CASE);
        const file = path.join(RULES_DIR, `${meta.id}.ts`);
        assert.ok(existsSync(file), `rules/${meta.id}.ts does not exist`);
        const exported = (require(file) as { default?: unknown }).default;
        assert.equal(exported, rule, `rules/${meta.id}.ts does not export this rule as its default`);
      });

      it('is named for what it reads: Dockerfile rules, and only they, start with dockerfile-', () => {
        assert.equal(meta.id.startsWith('dockerfile-'), targetOf(rule) === 'dockerfile');
      });

      it('has a valid stage and default severity', () => {
        assert.ok(Object.hasOwn(STAGE_TITLES, meta.stage), `unknown stage ${meta.stage}`);
        assert.ok(SEVERITIES.includes(meta.defaultSeverity), `unknown severity ${meta.defaultSeverity}`);
      });

      it('says what it finds and what that costs, with numbers', () => {
        assert.ok(meta.description.trim().length > 0, 'empty description');
        assert.match(meta.startupCost, /\d/, 'startupCost has no number');
        for (const [name, option] of Object.entries(meta.options)) {
          assert.ok(option.description.trim().length > 0, `option ${name} has no description`);
        }
      });

      describe(`docs/rules/${meta.id}.md`, () => {
        const page = readRuleDocPage(meta.id);

        it('exists, titled by the id', () => {
          assert.ok(page, `docs/rules/${meta.id}.md does not exist`);
          assert.equal(page.title, meta.id);
        });

        it('has the summary table matching the meta', function () {
          if (!page) this.skip();
          assert.ok(page.summary, 'no | Stage | Default severity | Fix | table under the title');
          assert.equal(page.summary.stage, STAGE_TITLES[meta.stage as Stage]);
          assert.equal(page.summary.severity, meta.defaultSeverity);
          const allowed: string[] = meta.fixable ? [FIX_LABELS.safe, FIX_LABELS.review] : [FIX_LABELS.none];
          assert.ok(allowed.includes(page.summary.fix), `Fix column "${page.summary.fix}" should be one of ${allowed.join(' / ')}`);
        });

        it('has every required section, in order', function () {
          if (!page) this.skip();
          const headings = page.sections.map((candidate) => candidate.heading);
          const positions = REQUIRED_SECTIONS.map((heading) => headings.indexOf(heading));
          assert.deepEqual(REQUIRED_SECTIONS.filter((_, index) => positions[index] === -1), [], 'missing sections');
          assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'required sections out of order');
          for (const heading of REQUIRED_SECTIONS) assert.ok(section(page, heading)!.trim().length > 0, `section "${heading}" is empty`);
        });

        it('documents every option, or says None.', function () {
          if (!page) this.skip();
          const options = section(page, 'Options') ?? '';
          const names = Object.keys(meta.options);
          if (names.length === 0) assert.match(options, /None\./);
          for (const name of names) assert.ok(options.includes(`\`${name}\``), `option ${name} is not in the Options section`);
        });

        it('tells how to silence it', function () {
          if (!page) this.skip();
          const body = section(page, 'When not to use it') ?? '';
          // Dockerfiles have no objects, so no annotation to silence one.
          const objectForm = targetOf(rule) === 'manifest' ? [`podstart.dev/ignore: "${meta.id}"`] : [];
          for (const form of [`podstart-disable-next-line ${meta.id}`, `podstart-disable ${meta.id}`, ...objectForm, `${meta.id}: off`]) {
            assert.ok(body.includes(form), `"When not to use it" does not show \`${form}\``);
          }
        });

        it('has a Bad example that fires the rule', function () {
          if (!page) this.skip();
          const { fence, block } = examplesOf(rule);
          const bad = block(section(page, 'Bad'));
          assert.ok(bad, `no \`\`\`${fence} block under ## Bad`);
          const findings = ruleFindings(rule, bad);
          assert.ok(findings.length > 0, 'the Bad example does not fire the rule');
          const fixed = findings.filter((finding) => finding.fixes.length > 0);
          if (meta.fixable && page.summary?.fix === FIX_LABELS.safe) {
            assert.ok(fixed.some((finding) => finding.fixes.some((fix) => fix.safe)), 'the page says "Safe quick fix" but the Bad example gets no safe fix');
          }
          if (page.summary?.fix === FIX_LABELS.review) {
            assert.ok(fixed.length > 0, 'the page promises a quick fix but the Bad example gets none');
            assert.ok(fixed.every((finding) => finding.fixes.every((fix) => !fix.safe)), 'the page says "review before applying" but a fix is marked safe');
          }
          if (!meta.fixable) assert.deepEqual(fixed, [], 'a rule that is not fixable offers fixes');
        });

        it('has a Good example that does not fire the rule', function () {
          if (!page) this.skip();
          const { fence, block, analyze, invalid } = examplesOf(rule);
          const good = block(section(page, 'Good'));
          assert.ok(good, `no \`\`\`${fence} block under ## Good`);
          assert.deepEqual(ruleFindings(rule, good).map((finding) => `${finding.range.start.line + 1}: ${finding.message}`), []);
          assert.deepEqual(analyze(good).findings.filter((finding) => finding.ruleId === invalid).map((finding) => finding.message), [], `the Good example is not a valid ${fence} file`);
        });
      });

      describe(`test/rules/${meta.id}.test.ts`, () => {
        const file = path.join(RULE_TESTS_DIR, `${meta.id}.test.ts`);
        const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined;

        it('exists and runs the fixtures of this rule', () => {
          assert.ok(text !== undefined, `test/rules/${meta.id}.test.ts does not exist`);
          assert.ok(text.includes(`runRuleTests('${meta.id}'`), `test/rules/${meta.id}.test.ts does not call runRuleTests('${meta.id}', ...)`);
        });

        if (meta.fixable) {
          it('checks the fixed output of at least one case', () => {
            assert.ok(text !== undefined);
            assert.match(text, /\boutput\s*:/, 'a fixable rule needs an invalid case with `output`');
          });
        }
      });
    });
  }
});

/** Module specifiers a file imports, read by the TypeScript scanner (imports, exports, require calls). */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

/** The .ts files of a folder and its subfolders (core/dockerfile/, ...). */
function sourceFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFilesIn(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('the core is pure', () => {
  const sourceFiles = [RULES_DIR, CORE_DIR].flatMap(sourceFilesIn);
  const forbiddenFolders = ['server', 'client', 'cli'].map((folder) => path.join(PROJECT_ROOT, folder) + path.sep);

  for (const file of sourceFiles) {
    const relative = path.relative(PROJECT_ROOT, file);
    it(`${relative} imports no editor API and nothing from server/, client/ or cli/`, () => {
      const offending = importsOf(file).filter((specifier) => {
        if (specifier === 'vscode' || specifier.startsWith('vscode-languageserver') || specifier.startsWith('vscode-languageclient') || specifier.startsWith('vscode-jsonrpc')) return true;
        if (!specifier.startsWith('.')) return false;
        const target = path.resolve(path.dirname(file), specifier);
        return forbiddenFolders.some((folder) => (target + path.sep).startsWith(folder));
      });
      assert.deepEqual(offending, []);
    });
  }
});
