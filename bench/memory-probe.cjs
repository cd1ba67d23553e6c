// Preloaded into the language server by bench/targets.ts only (`node --expose-gc --require
// bench/memory-probe.cjs dist/server.js --stdio`): on SIGUSR2 it collects garbage and writes the
// server's process.memoryUsage() to PODSTART_MEMORY_PROBE_FILE. The benchmark cannot see a child's
// heap any other way, and this keeps the shipped server free of a debugging hook.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.PODSTART_MEMORY_PROBE_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    // Twice: the first pass can leave objects that only become unreachable after finalizers run.
    if (typeof global.gc === 'function') {
      global.gc();
      global.gc();
    }
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), collected: typeof global.gc === 'function' }));
  });
}
