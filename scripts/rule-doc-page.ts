/**
 * Reads a rule's documentation page (docs/rules/<id>.md) into its parts: the title, the summary
 * table, the sections, and the YAML examples. The README generator and the catalog tests read the
 * pages through this, so that the page format is defined once (see the required section list).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImageFactsView } from '../core/image-facts';

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

/**
 * What the registry answers for the images the pages' examples name, for rules whose findings
 * depend on registry facts (sizes, digests): the catalog tests analyse the Bad and Good examples
 * with these, as the editor would with registry access on. An image not listed is unknown, as an
 * image the registry has not been asked about yet.
 */
export const DOC_EXAMPLE_IMAGE_FACTS: Readonly<Record<string, ImageFactsView>> = Object.fromEntries(
  (
    [
      // large-image: 1.2 GB (Bad) and 180 MB (Good).
      ['registry.example.com/ml/churn-predictor:3.2.0', 1_200_000_000, 14],
      ['registry.example.com/ml/churn-predictor:3.3.0', 180_000_000, 9],
      // dockerfile-large-base-image: 2.4 GB (Bad) and about 45 MB (Good).
      ['registry.example.com/platform/python-ml:2024.06', 2_400_000_000, 31],
      ['python:3.12.4-slim-bookworm', 45_000_000, 4],
      // mutable-image-tag and dockerfile-mutable-base-image: their Bad examples get "Pin to digest".
      ['ghcr.io/acme/checkout-migrations', 38_000_000, 5],
      ['ghcr.io/acme/checkout:latest', 96_000_000, 7],
      ['golang:latest', 290_000_000, 7],
    ] as const
  ).map(([reference, compressedSize, layerCount]) => [reference, { digest: `sha256:${createHash('sha256').update(reference).digest('hex')}`, compressedSize, layerCount }]),
);
