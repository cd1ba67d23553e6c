/**
 * The engine's Dockerfile half: one parse, every Dockerfile rule over it, spans turned into
 * ranges, severities from the settings, suppressions applied, and the disable-for-line edit of each
 * finding. core/analyze.ts dispatches here by file name (or by an explicit file type), so the CLI,
 * the language server and the tests get Dockerfiles with the same findings shape as manifests.
 *
 * Suppression works on instructions: `# podstart-disable-next-line <id>` on the line above an
 * instruction silences the rule anywhere in that instruction, continuation lines included, and the
 * quick fix writes it there. `# podstart-disable <id>` anywhere silences the rule for the file;
 * put it below the parser directives (`# syntax=`, `# escape=`), which must come first.
 */
import { FILE_DIAGNOSTICS, INTERNAL_ERROR, pushFileFinding, type AnalyzedFinding } from '../findings';
import type { ImageFactsLookup } from '../image-facts';
import type { KubernetesVersion } from '../kubernetes-version';
import type { LineIndex } from '../line-index';
import type { DockerfileRule, DockerfileRuleReport } from '../rule';
import type { ResolvedRuleSetting } from '../settings';
import { disableForLineEdit, isSuppressed, scanSuppressions } from '../suppression';
import type { Fix, Severity } from '../types';
import type { BuildContextFacts } from './build-context';
import { DockerfileEditor } from './editor';
import { parseDockerfile, type BuildStage, type DockerfileModel } from './model';
import { isDockerfileTemplate } from './templates';

export interface DockerfileAnalysisInput {
  text: string;
  fileName?: string;
  lines: LineIndex;
  /** The Dockerfile rules that are on, with their settings. */
  rules: ReadonlyArray<{ rule: DockerfileRule<any>; setting: ResolvedRuleSetting }>;
  kubernetesVersion: KubernetesVersion;
  /** Registry facts the front end has (core/image-facts.ts). */
  imageFacts: ImageFactsLookup;
  /** Files around the Dockerfile, when the front end looked (core/dockerfile/build-context.ts). */
  buildContext?: BuildContextFacts;
}

export interface DockerfileAnalysis {
  findings: AnalyzedFinding[];
  /** Undefined for templates and files that could not be parsed. */
  model?: DockerfileModel;
}

export function analyzeDockerfile(input: DockerfileAnalysisInput): DockerfileAnalysis {
  const { text, fileName, lines } = input;
  const findings: AnalyzedFinding[] = [];
  const firstLineEnd = Math.min(lines.lineEnd(0), text.length);
  if (isDockerfileTemplate(text, fileName)) {
    pushFileFinding(findings, lines, FILE_DIAGNOSTICS.template, 'info', 'This is a template that generates a Dockerfile, not the Dockerfile docker build reads; Podstart did not analyse it. Check the generated Dockerfile instead.', 0, firstLineEnd);
    return { findings };
  }
  let model: DockerfileModel;
  try {
    model = parseDockerfile(text, lines);
  } catch (error) {
    pushFileFinding(findings, lines, FILE_DIAGNOSTICS.invalidDockerfile, 'error', `Podstart could not parse this Dockerfile: ${(error as Error).message}`, 0, Math.max(firstLineEnd, Math.min(1, text.length)));
    return { findings };
  }

  const suppressions = scanSuppressions(text, { lineCommentsOnly: true });
  const edit = new DockerfileEditor(model);
  for (const { rule, setting } of input.rules) {
    const ruleId = rule.meta.id;
    if (isSuppressed(suppressions.file, ruleId)) continue;
    const report = (r: DockerfileRuleReport) => {
      const start = Math.max(0, Math.min(r.target.start, text.length));
      const end = Math.max(Math.min(r.target.end, text.length), Math.min(start + 1, text.length));
      const range = { start: lines.positionAt(start), end: lines.positionAt(end) };
      const instruction = model.instructionAt(start);
      // The directive goes above the instruction; one above a continuation line is honoured too.
      const anchorLine = instruction?.line ?? range.start.line;
      if (isSuppressed(suppressions.lines.get(anchorLine), ruleId) || isSuppressed(suppressions.lines.get(range.start.line), ruleId)) return;
      findings.push({
        ruleId,
        severity: setting.severity as Severity,
        stage: rule.meta.stage,
        message: r.message,
        start,
        end,
        range,
        fixes: (r.fixes ?? []).filter((fix: Fix) => fix.edits.length > 0 || (fix.createFiles?.length ?? 0) > 0),
        object: instruction?.stage ? stageObject(instruction.stage) : undefined,
        disable: { line: disableForLineEdit(text, lines, anchorLine, ruleId) },
      });
    };
    try {
      rule.check({ dockerfile: model, fileName, options: setting.options, kubernetesVersion: input.kubernetesVersion, imageFacts: input.imageFacts, buildContext: input.buildContext, edit, report });
    } catch (error) {
      // A rule bug must cost one rule, never the file.
      pushFileFinding(findings, lines, INTERNAL_ERROR, 'hint', `Podstart rule ${ruleId} failed on this Dockerfile: ${(error as Error).message}`, 0, Math.min(1, text.length));
    }
  }
  findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
  return { findings, model };
}

/** How reports name the stage a finding is in: `{ kind: 'Stage', name: 'build' }`, or its index. */
function stageObject(stage: BuildStage): { kind: string; name: string } {
  return { kind: 'Stage', name: stage.name ?? String(stage.index) };
}
