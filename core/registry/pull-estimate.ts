/**
 * How long a compressed image takes to download, for messages such as "image is 1.2 GB compressed,
 * about 96 s to pull at 100 Mbit/s". Decimal units throughout (1 GB = 10^9 bytes, 1 Mbit/s = 10^6
 * bit/s), as registries and network links are sized. The estimate is the transfer alone: extraction,
 * registry latency and parallel layer downloads are left out, so it is a floor on a cold node.
 */
export function estimatePullSeconds(compressedBytes: number, linkMegabitsPerSecond: number): number {
  if (linkMegabitsPerSecond <= 0) return Number.POSITIVE_INFINITY;
  return (compressedBytes * 8) / (linkMegabitsPerSecond * 1_000_000);
}

/** `1234567890` → `1.2 GB`, `48200000` → `48 MB`, `5120` → `5.1 kB`. */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  const rounded = value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}
