/**
 * The figures bench/run.ts leaves for bench/targets.ts, so that the target table reuses the
 * latencies and the CLI timing measured there instead of starting every server a second time.
 */
import path from 'node:path';

export const RUN_RESULTS = path.resolve(__dirname, '..', '.cache', 'bench', 'run-results.json');

export interface SavedRunResults {
  /** When bench/run.ts finished, ISO 8601. */
  at: string;
  /** 1-minute load average then, and the CPUs it is out of. */
  load: number;
  cpus: number;
  /** Edit-to-diagnostics latencies (ms), one per edit. */
  kserve: { file: string; podstart?: number[]; yamlLanguageServer?: number[] };
  thousandLines: { file: string; lines?: number; podstart?: number[] };
  cli: { how: string; runsMs: number[]; medianMs: number } | { error: string };
}
