/**
 * Where a CPU profile's time went: self time per function and per script, idle excluded.
 *
 *   node --import tsx bench/run.ts --profile
 *   node --import tsx bench/profile-summary.ts .cache/profiles/CPU.*.cpuprofile
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarize(file: string, top = 20): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByScript = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    const micros = profile.timeDeltas[index] ?? 0;
    busy += micros;
    const script = url ? path.basename(url) : functionName;
    const key = `${functionName || '(anonymous)'}  ${script}${url ? `:${lineNumber + 1}` : ''}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + micros);
    selfByScript.set(script, (selfByScript.get(script) ?? 0) + micros);
  });
  const rows = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([key, micros]) => `${(micros / 1000).toFixed(1).padStart(9)} ms  ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${key}`);
  return [`${path.basename(file)}: ${(busy / 1000).toFixed(0)} ms busy`, '  by function (self time):', ...rows(selfByFunction).map((row) => `  ${row}`), '  by script:', ...rows(selfByScript).slice(0, 8).map((row) => `  ${row}`)].join('\n');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile>...');
  process.exitCode = 2;
}
for (const file of files) console.log(summarize(file));
