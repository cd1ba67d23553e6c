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
