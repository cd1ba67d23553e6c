/**
 * Runs an async function over items with at most `limit` in flight, keeping the results in the
 * items' order. Reading files a few at a time overlaps the disk with the (synchronous) analysis
 * without opening thousands of files at once.
 */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A gate that lets at most `limit` tasks run at once, whoever starts them: files checked in
 * parallel share it, so that a folder of manifests naming hundreds of images does not open hundreds
 * of registry connections.
 */
export function createLimiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
