/**
 * The engine on Dockerfiles: dispatch by file name, the findings' shape, severities from the
 * settings, suppression comments (next to parser directives), the disable-for-line edit, and the
 * file-level diagnostics (too large, templates), as every front end sees them through analyzeText.
 */
import assert from 'node:assert/strict';
import { analyzeText, FILE_DIAGNOSTICS, type AnalyzedFinding } from '../../core/analyze';
import { applyEdits, fixAll } from '../../core/apply-edits';
import { parseDockerfile } from '../../core/dockerfile/model';
import { defineDockerfileRule } from '../../core/rule';
import type { PodstartSettings } from '../../core/settings';
import { ALL_RULES } from '../../rules';
import { onlyRule } from '../rules/harness';

const MUTABLE = 'dockerfile-mutable-base-image';
const FAT = 'dockerfile-fat-base-image';

/** Both Dockerfile rules on, every other rule off. */
const DOCKERFILE_RULES: PodstartSettings = onlyRule(MUTABLE, { rules: { [FAT]: 'warning' } });

/** An API on the full python image, built by a builder on :latest. */
const API = `# syntax=docker/dockerfile:1
FROM golang:latest AS migrate
RUN go install github.com/acme/migrate@v1.4.0

FROM python:3.12
COPY --from=migrate /go/bin/migrate /usr/local/bin/
WORKDIR /app
COPY . .
CMD ["python", "-m", "orders"]
`;

const ids = (findings: AnalyzedFinding[]) => findings.map((finding) => `${finding.ruleId}@${finding.range.start.line + 1}:${finding.range.start.character + 1}`);
const analyze = (text: string, settings = DOCKERFILE_RULES, fileName = 'Dockerfile') => analyzeText({ text, fileName, settings });

describe('core/analyze on Dockerfiles', () => {
  it('analyses a file named like a Dockerfile with the Dockerfile rules, in file order', () => {
    const result = analyze(API);
    assert.equal(result.fileType, 'dockerfile');
    assert.deepEqual(ids(result.findings), [`${MUTABLE}@2:6`, `${FAT}@5:6`]);
    assert.equal(result.workloadCount, 0);
    assert.equal(result.dockerfile?.stages.length, 2);
  });

  it('gives each finding its startup stage, its build stage as the object, and the severity in effect', () => {
    const settings = onlyRule(MUTABLE, { rules: { [FAT]: 'info' } });
    const [mutable, fat] = analyze(API, settings).findings;
    assert.deepEqual([mutable.stage, mutable.severity, mutable.object], ['image-pull', 'warning', { kind: 'Stage', name: 'migrate' }]);
    assert.deepEqual([fat.stage, fat.severity, fat.object], ['image-pull', 'info', { kind: 'Stage', name: '1' }]);
    assert.deepEqual(ids(analyze(API, onlyRule(MUTABLE)).findings), [`${MUTABLE}@2:6`]);
  });

  it('reads the same text under another name as YAML, unless told it is a Dockerfile', () => {
    assert.deepEqual(analyzeText({ text: API, fileName: 'notes.yaml', settings: DOCKERFILE_RULES }).findings, []);
    assert.deepEqual(ids(analyzeText({ text: API, fileName: 'build.txt', fileType: 'dockerfile', settings: DOCKERFILE_RULES }).findings), [`${MUTABLE}@2:6`, `${FAT}@5:6`]);
  });

  it('does not crash on a Dockerfile with only comments, an empty one, or an unterminated here-document', () => {
    for (const text of ['# Built by the platform team.\n', '', 'FROM alpine:3.20\nRUN <<EOF\napk add curl\n', '\\\n']) {
      assert.deepEqual(analyze(text).findings, [], JSON.stringify(text));
    }
  });

  describe('suppression', () => {
    it('# podstart-disable-next-line above the instruction silences that rule there only', () => {
      const text = API.replace('FROM python:3.12', `# podstart-disable-next-line ${FAT}\nFROM python:3.12`);
      assert.deepEqual(ids(analyze(text).findings), [`${MUTABLE}@2:6`]);
      const other = API.replace('FROM python:3.12', `# podstart-disable-next-line ${MUTABLE}\nFROM python:3.12`);
      assert.deepEqual(ids(analyze(other).findings), [`${MUTABLE}@2:6`, `${FAT}@6:6`]);
    });

    it('# podstart-disable silences a rule for the file, written below the parser directives', () => {
      const text = API.replace('# syntax=docker/dockerfile:1\n', `# syntax=docker/dockerfile:1\n# podstart-disable ${MUTABLE}\n`);
      assert.deepEqual(ids(analyze(text).findings), [`${FAT}@6:6`]);
      assert.deepEqual(parseDockerfile(text).ast.getDirectives().map((directive) => directive.getName()), ['syntax']);
    });

    it('counts only whole-line comments: a # in a shell command is not a directive', () => {
      const text = API.replace('WORKDIR /app', `RUN echo "# podstart-disable ${FAT}"`);
      assert.deepEqual(ids(analyze(text).findings), [`${MUTABLE}@2:6`, `${FAT}@5:6`]);
    });

    it('a directive above an instruction covers its continuation lines', () => {
      const continuationRule = defineDockerfileRule({
        meta: { ...ALL_RULES.find((rule) => rule.meta.id === FAT)!.meta, id: 'test-continuation', options: {} },
        check({ dockerfile, report }) {
          const text = dockerfile.text;
          const at = text.indexOf('--no-install-recommends');
          if (at !== -1) report({ target: { start: at, end: at + '--no-install-recommends'.length }, message: 'found it' });
        },
      });
      const text = 'FROM debian:bookworm-slim\n# podstart-disable-next-line test-continuation\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl\n';
      assert.deepEqual(analyzeText({ text, fileName: 'Dockerfile', rules: [continuationRule] }).findings, []);
      const unsilenced = analyzeText({ text: text.replace('# podstart-disable-next-line test-continuation\n', ''), fileName: 'Dockerfile', rules: [continuationRule] });
      // Reported on the continuation line; silenced (and disabled by the quick fix) above the RUN.
      assert.deepEqual(ids(unsilenced.findings), ['test-continuation@3:27']);
      assert.deepEqual(unsilenced.findings[0].disable?.line, { start: 26, end: 26, newText: '# podstart-disable-next-line test-continuation\n' });
    });

    it("the disable-for-line edit goes above the instruction, after the parser directives, and silences it", () => {
      const text = `# syntax=docker/dockerfile:1\nFROM python:3.12\nCMD ["python", "app.py"]\n`;
      const [finding] = analyze(text).findings;
      assert.deepEqual(finding.disable, { line: { start: 29, end: 29, newText: `# podstart-disable-next-line ${FAT}\n` } });
      const silenced = applyEdits(text, [finding.disable!.line]);
      assert.equal(silenced, `# syntax=docker/dockerfile:1\n# podstart-disable-next-line ${FAT}\nFROM python:3.12\nCMD ["python", "app.py"]\n`);
      assert.deepEqual(analyze(silenced).findings, []);
      assert.deepEqual(parseDockerfile(silenced).ast.getDirectives().map((directive) => directive.getValue()), ['docker/dockerfile:1']);
    });

    it('the disable-for-line edit adds to a directive already above the instruction', () => {
      const text = `# podstart-disable-next-line ${MUTABLE}\nFROM python:latest\nCMD ["python"]\n`;
      const [finding] = analyze(text).findings;
      assert.equal(finding.ruleId, FAT);
      const silenced = applyEdits(text, [finding.disable!.line]);
      assert.equal(silenced, `# podstart-disable-next-line ${MUTABLE}, ${FAT}\nFROM python:latest\nCMD ["python"]\n`);
      assert.deepEqual(analyze(silenced).findings, []);
    });
  });

  describe('file diagnostics', () => {
    it('gives a Dockerfile over maxFileSize one notice and no analysis', () => {
      const result = analyze(API, { ...DOCKERFILE_RULES, maxFileSize: 100 });
      assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.range.start.line]), [[FILE_DIAGNOSTICS.tooLarge, 'info', 0]]);
    });

    it('gives a Dockerfile template one notice', () => {
      const notice = (text: string, fileName = 'Dockerfile') => analyze(text, DOCKERFILE_RULES, fileName).findings.map((finding) => [finding.ruleId, finding.severity]);
      assert.deepEqual(notice(API, 'Dockerfile.template'), [[FILE_DIAGNOSTICS.template, 'info']]);
      assert.deepEqual(notice('FROM alpine:{{ .alpine.version }}\nRUN apk add --no-cache redis\n'), [[FILE_DIAGNOSTICS.template, 'info']]);
      assert.deepEqual(notice('FROM nginx:%%NGINX_VERSION%%-alpine\n'), [[FILE_DIAGNOSTICS.template, 'info']]);
      assert.deepEqual(notice('{{ if env.variant == "alpine" then ( -}}\nFROM alpine:3.20\n{{ ) end -}}\n'), [[FILE_DIAGNOSTICS.template, 'info']]);
    });

    it('analyses a Dockerfile whose {{ }} is only in a comment or a shell command', () => {
      const text = `# kubectl get svc --format "{{ .NetworkSettings.IPAddress }}"\nFROM python:latest\nRUN docker inspect --format '{{.Id}}' base || true\n`;
      assert.deepEqual(ids(analyze(text, onlyRule(MUTABLE)).findings), [`${MUTABLE}@2:6`]);
    });

    it('confines a failing rule to one rule', () => {
      const exploding = defineDockerfileRule({
        meta: { ...ALL_RULES.find((rule) => rule.meta.id === FAT)!.meta, id: 'exploding-rule', options: {} },
        check() {
          throw new Error('boom');
        },
      });
      const result = analyzeText({ text: API, fileName: 'Dockerfile', rules: [exploding, ...ALL_RULES], settings: onlyRule(MUTABLE, { rules: { 'exploding-rule': 'warning' } }) });
      assert.deepEqual(result.findings.map((finding) => [finding.ruleId, finding.severity, finding.message]).slice(0, 1), [['internal-error', 'hint', 'Podstart rule exploding-rule failed on this Dockerfile: boom']]);
      assert.deepEqual(ids(result.findings).slice(1), [`${MUTABLE}@2:6`]);
    });
  });

  it('fix-all applies only safe fixes: the slim switch is left for a person', () => {
    assert.deepEqual(fixAll({ text: API, fileName: 'Dockerfile', settings: DOCKERFILE_RULES }), { text: API, fixed: 0 });
  });
});
