// What Podstart reports in the fixture workspace, written out by hand from the rules' documentation
// (and checked against `podstart check test/e2e/fixtures/workspace`), so that each test compares what
// the workbench shows with one list: the Problems panel's rows and the text each squiggle underlines.
import type { Problem, Squiggle } from './workbench';

export interface ExpectedFinding {
  code: string;
  severity: Problem['severity'];
  /** 1-based, where the Problems panel puts the finding. */
  line: number;
  column: number;
  /** The start of the message, enough to tell the container and the value. */
  messageStart: string;
  /** The text the squiggle underlines, one entry per line it covers. */
  underlined: string[];
}

/** orders-api.yaml: a Deployment with five findings, one per slow-start habit. */
export const ORDERS_API_FINDINGS: readonly ExpectedFinding[] = [
  {
    code: 'init-container-only-waits',
    severity: 'warning',
    line: 23,
    column: 20,
    messageStart: 'Init container `wait-for-postgres` only waits for a dependency (it polls `nc -z postgres.shop.svc 5432` every 2 s)',
    underlined: ['["sh", "-c", "until nc -z postgres.shop.svc 5432; do echo waiting; sleep 2; done"]'],
  },
  {
    code: 'mutable-image-tag',
    severity: 'warning',
    line: 26,
    column: 18,
    messageStart: 'Container `api` uses the mutable tag `ghcr.io/acme/orders-api:latest`',
    underlined: ['ghcr.io/acme/orders-api:latest'],
  },
  {
    code: 'cpu-limit-throttles-startup',
    severity: 'warning',
    line: 34,
    column: 20,
    messageStart: 'Container `api` has a CPU limit of 300m (0.3 CPU)',
    underlined: ['300m'],
  },
  {
    code: 'missing-startup-probe',
    severity: 'warning',
    line: 40,
    column: 34,
    messageStart: 'Container `api` has no startupProbe and its readinessProbe sets `initialDelaySeconds: 45`',
    underlined: ['45'],
  },
  {
    code: 'pull-always-immutable-image',
    severity: 'warning',
    line: 50,
    column: 28,
    messageStart: 'Container `metrics-agent` pins its image to the version tag `:2.8.1` but sets `imagePullPolicy: Always`',
    underlined: ['Always'],
  },
];

export const ORDERS_API_LINE_COUNT = 50;

/** The Problems panel rows a file's expected findings make, without their messages. */
export function expectedRows(file: string, findings: readonly ExpectedFinding[]) {
  return findings.map(({ code, severity, line, column }) => ({ file, source: 'podstart', code, severity, line, column }));
}

/** Drops the message of each row, for comparing with expectedRows. */
export function withoutMessages(problems: Problem[]) {
  return problems.map(({ file, source, code, severity, line, column }) => ({ file, source, code, severity, line, column }));
}

/** The squiggles a file's expected findings draw. */
export function expectedSquiggles(findings: readonly ExpectedFinding[]): Squiggle[] {
  return findings.flatMap((finding) => finding.underlined.map((text, index) => ({ line: finding.line + index, severity: finding.severity, text })));
}
