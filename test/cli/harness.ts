/**
 * Runs the built CLI (`node bin/podstart.js`, which loads dist/cli.js) as a user would, in a
 * temporary project folder, and collects its exit code and output.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ALL_RULES } from '../../rules';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO_ROOT, 'bin', 'podstart.js');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  stdin?: string;
  env?: Record<string, string | undefined>;
  /**
   * Run as an unprivileged user (nobody, through setpriv) when the tests run as root, for whom
   * file permissions do not apply; see `canDropPrivileges`.
   */
  unprivileged?: boolean;
}

const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Whether permission tests can run: not as root, or as root with setpriv to become nobody. */
export const canDropPrivileges = process.platform !== 'win32' && (!isRoot || spawnSync('setpriv', ['--version']).status === 0);

export function runPodstart(args: string[], options: RunOptions): Promise<CliRun> {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build first`);
  return new Promise((resolve, reject) => {
    // NO_COLOR and FORCE_COLOR from the developer's shell must not change what the tests see.
    const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
    const command = [process.execPath, CLI, ...args];
    if (options.unprivileged && isRoot) command.unshift('setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups');
    const child = spawn(command[0], command.slice(1), { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** A temporary folder with files in it, removed by `dispose`. */
export class TempProject {
  readonly root: string;

  constructor(files: Record<string, string> = {}) {
    this.root = mkdtempSync(path.join(tmpdir(), 'podstart-cli-'));
    // mkdtemp makes the folder private to its owner; unprivileged runs must be able to enter it.
    chmodSync(this.root, 0o755);
    for (const [name, text] of Object.entries(files)) this.write(name, text);
  }

  path(name: string): string {
    return path.join(this.root, name);
  }

  write(name: string, text: string): void {
    mkdirSync(path.dirname(this.path(name)), { recursive: true });
    writeFileSync(this.path(name), text);
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  run(args: string[], options: Omit<RunOptions, 'cwd'> = {}): Promise<CliRun> {
    return runPodstart(args, { cwd: this.root, ...options });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** `--rule id=off` for every rule but these: keeps expected output exact as rules are added. */
export function onlyRules(...ids: string[]): string[] {
  for (const id of ids) assert.ok(ALL_RULES.some((rule) => rule.meta.id === id), `unknown rule ${id}`);
  return ALL_RULES.filter((rule) => !ids.includes(rule.meta.id)).flatMap((rule) => ['--rule', `${rule.meta.id}=off`]);
}

/**
 * A Deployment with two findings: a mutable tag on line 16 (value at columns 18–47) and
 * `imagePullPolicy: Always` on a pinned image on line 19 (value at columns 28–33, safely fixable).
 */
export const ORDERS_API = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders-api
spec:
  selector:
    matchLabels:
      app: orders-api
  template:
    metadata:
      labels:
        app: orders-api
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/orders-api:latest
        - name: metrics-agent
          image: quay.io/acme/metrics-agent:2.8.1
          imagePullPolicy: Always
`;

/** A Job with nothing to report: a pinned image, the default pull policy. */
export const NIGHTLY_REPORT = `apiVersion: batch/v1
kind: Job
metadata:
  name: nightly-report
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: report
          image: ghcr.io/acme/report:3.1.0
`;

/**
 * A StatefulSet with two safe fixes (the missing fsGroupChangePolicy, reported on line 17, and
 * `imagePullPolicy: Always` on line 21) and one fix that is not safe (the CPU limit on line 24).
 */
export const CATALOG_DB = `# Postgres for the catalog service.
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: catalog-db
spec:
  serviceName: catalog-db
  selector:
    matchLabels:
      app: catalog-db
  template:
    metadata:
      labels:
        app: catalog-db
    spec:
      securityContext:
        fsGroup: 999   # the postgres group
      containers:
        - name: postgres
          image: ghcr.io/acme/postgres:16.4.2
          imagePullPolicy: Always
          resources:
            limits:
              cpu: 200m
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 20Gi
`;

/** CATALOG_DB after --fix: both safe fixes applied, the CPU limit left for a person to decide. */
export const CATALOG_DB_FIXED = CATALOG_DB.replace('        fsGroup: 999   # the postgres group\n', '        fsGroup: 999   # the postgres group\n        fsGroupChangePolicy: OnRootMismatch\n').replace(
  'imagePullPolicy: Always',
  'imagePullPolicy: IfNotPresent',
);

/** Parses the JSON report. */
export function jsonReport(run: CliRun): JsonReport {
  try {
    return JSON.parse(run.stdout) as JsonReport;
  } catch {
    throw new assert.AssertionError({ message: `stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}` });
  }
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  stage: string | null;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
  object: { kind: string; name: string } | null;
}

export interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  files: Array<{ path: string; fixed: number; findings: JsonFinding[] }>;
  errors: Array<{ kind: string; path: string | null; line?: number; column?: number; message: string }>;
  warnings: Array<{ path: string | null; message: string }>;
  summary: {
    files: number;
    filesWithFindings: number;
    findings: number;
    bySeverity: Record<string, number>;
    fixable: number;
    fixed: number;
    failOn: string;
    exitCode: number;
  };
}

/** "path line:column ruleId severity" for each finding of a JSON report, in order. */
export function findingSummary(report: JsonReport): string[] {
  return report.files.flatMap((file) => file.findings.map((finding) => `${file.path} ${finding.line}:${finding.column} ${finding.ruleId} ${finding.severity}`));
}
