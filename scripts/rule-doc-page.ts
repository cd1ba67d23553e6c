/**
 * Reads a rule's documentation page (docs/rules/<id>.md) into its parts: the title, the summary
 * table, the sections, and the YAML examples. The README generator and the catalog tests read the
 * pages through this, so that the page format is defined once (see the required section list).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const RULE_DOCS_DIR = path.join(PROJECT_ROOT, 'docs', 'rules');

/** Sections every rule page has, in this order; optional ones ("Kubernetes versions", "Trade-offs", "References") follow. */
export const REQUIRED_SECTIONS = ['Startup impact', 'Bad', 'Good', 'Options', 'When not to use it'] as const;

/** What the page's summary table may say in its Fix column. */
export const FIX_LABELS = { safe: 'Safe quick fix', review: 'Quick fix (review before applying)', none: 'None' } as const;

export interface RuleDocSummary {
  stage: string;
  severity: string;
  fix: string;
}

export interface RuleDocPage {
  id: string;
  file: string;
  text: string;
  /** The `# <title>` line's text. */
  title?: string;
  summary?: RuleDocSummary;
  /** `## ` headings in order, and the text under each. */
  sections: Array<{ heading: string; body: string }>;
}

export function ruleDocPath(id: string): string {
  return path.join(RULE_DOCS_DIR, `${id}.md`);
}

export function readRuleDocPage(id: string): RuleDocPage | undefined {
  const file = ruleDocPath(id);
  if (!existsSync(file)) return undefined;
  return parseRuleDocPage(id, file, readFileSync(file, 'utf8'));
}

export function parseRuleDocPage(id: string, file: string, text: string): RuleDocPage {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const title = /^# (.+)$/.exec(lines[0] ?? '')?.[1]?.trim();
  const sections: RuleDocPage['sections'] = [];
  let inFence = false;
  let current: { heading: string; lines: string[] } | undefined;
  const preamble: string[] = [];
  for (const line of lines.slice(1)) {
    if (/^```/.test(line)) inFence = !inFence;
    const heading = !inFence && /^## (.+)$/.exec(line);
    if (heading) {
      if (current) sections.push({ heading: current.heading, body: current.lines.join('\n') });
      current = { heading: heading[1].trim(), lines: [] };
    } else if (current) {
      current.lines.push(line);
    } else {
      preamble.push(line);
    }
  }
  if (current) sections.push({ heading: current.heading, body: current.lines.join('\n') });
  return { id, file, text, title, summary: summaryTable(preamble), sections };
}

/** The `| Stage | Default severity | Fix |` table under the title. */
function summaryTable(lines: string[]): RuleDocSummary | undefined {
  const rows = lines.filter((line) => line.trim().startsWith('|')).map((line) => line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim()));
  if (rows.length < 3) return undefined;
  const [header, , values] = rows;
  if (header.join('|') !== 'Stage|Default severity|Fix' || values.length !== 3) return undefined;
  return { stage: values[0], severity: values[1], fix: values[2] };
}

export function section(page: RuleDocPage, heading: string): string | undefined {
  return page.sections.find((candidate) => candidate.heading === heading)?.body;
}

/** The first ```yaml block of a section. */
export function firstYamlBlock(body: string | undefined): string | undefined {
  return firstCodeBlock(body, 'ya?ml');
}

/** The first ```dockerfile block of a section (the pages of Dockerfile rules show Dockerfiles). */
export function firstDockerfileBlock(body: string | undefined): string | undefined {
  return firstCodeBlock(body, 'dockerfile|Dockerfile');
}

/** The first fenced block whose info string matches `language` (a regular expression source). */
export function firstCodeBlock(body: string | undefined, language: string): string | undefined {
  if (body === undefined) return undefined;
  const match = new RegExp(`^\`\`\`(?:${language})[ \\t]*\\n([\\s\\S]*?)^\`\`\`[ \\t]*$`, 'm').exec(body);
  return match?.[1];
}
