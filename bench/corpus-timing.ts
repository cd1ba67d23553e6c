/**
 * Wall time of a whole-corpus check: the CLI when it is built (`node bin/podstart.js check <corpus>
 * --format json`, output discarded), otherwise analyzeText over the same YAML and JSON files in this
 * process, said as much in the report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeText } from '../core/analyze';
import { median } from './stats';

export interface CorpusTiming {
  how: string;
  runsMs: number[];
  medianMs: number;
  files?: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;

function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dockerfiles' ? [] : manifestFiles(full);
    return MANIFEST.test(entry.name) ? [full] : [];
  });
}

export function timeCli(root: string, corpus: string, runs: number, deadlineMs: number): CorpusTiming | { error: string } {
  const bin = path.join(root, 'bin', 'podstart.js');
  if (!existsSync(path.join(root, 'dist', 'cli.js'))) return { error: 'dist/cli.js not built' };
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, 'check', corpus, '--format', 'json'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: deadlineMs });
    const elapsed = performance.now() - started;
    // Exit 1 means findings at or above --fail-on, which the corpus has; 2 is a usage or I/O error.
    if (result.error || result.status === null || result.status > 1) {
      return { error: `podstart check exited ${result.status ?? result.signal}: ${(result.error?.message ?? result.stderr?.toString() ?? '').trim().slice(0, 400)}` };
    }
    runsMs.push(elapsed);
  }
  return { how: `\`node bin/podstart.js check ${path.relative(root, corpus)} --format json\``, runsMs, medianMs: median(runsMs) };
}

export function timeInProcess(corpus: string, runs: number): CorpusTiming {
  const files = manifestFiles(corpus);
  const runsMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    for (const file of files) analyzeText({ text: readFileSync(file, 'utf8'), fileName: file });
    runsMs.push(performance.now() - started);
  }
  return { how: 'analyzeText in-process over the YAML/JSON files (CLI not built)', runsMs, medianMs: median(runsMs), files: files.length };
}
