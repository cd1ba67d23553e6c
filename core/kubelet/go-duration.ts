/**
 * Go durations, as the kubelet reads them: `metav1.Duration` fields of the KubeletConfiguration
 * (`imageMinimumGCAge: 2m0s`) and duration flags (`--minimum-image-ttl-duration=5m`) both go
 * through Go's `time.ParseDuration`. The syntax is an optional sign, then one or more decimal
 * numbers (with an optional fraction), each followed by a unit: ns, us (µs, μs), ms, s, m, h.
 * "0" alone needs no unit; anything else without one (`"60"`) is refused.
 */

const NANOSECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 MICRO SIGN
  'μs': 1e3, // U+03BC GREEK SMALL LETTER MU
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const SIGN = /^[-+]?/;
/** One number and its unit: `1`, `1.5`, `.5` or `1.` then a unit (longest units first: `ms` before `m`). */
const COMPONENT = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/**
 * The duration in nanoseconds, or undefined when Go would refuse the text. Precision is a
 * JavaScript number's: exact to the nanosecond up to about 104 days, then to a few nanoseconds,
 * which is plenty for comparing garbage-collection ages.
 */
export function parseGoDuration(text: string): number | undefined {
  const sign = SIGN.exec(text)![0];
  let rest = text.slice(sign.length);
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = COMPONENT.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * NANOSECONDS_PER_UNIT[match[2]];
    rest = rest.slice(match[0].length);
  }
  return sign === '-' ? -total : total;
}

export const NANOSECONDS_PER_HOUR = NANOSECONDS_PER_UNIT.h;
const NANOSECONDS_PER_DAY = 24 * NANOSECONDS_PER_HOUR;

/** A duration in words for messages: "7 days", "36 hours", "1.5 hours", "30 minutes", "45 seconds". */
export function describeDuration(nanoseconds: number): string {
  const magnitude = Math.abs(nanoseconds);
  const [amount, unit] =
    magnitude >= NANOSECONDS_PER_DAY && magnitude % NANOSECONDS_PER_DAY === 0
      ? [magnitude / NANOSECONDS_PER_DAY, 'day']
      : magnitude >= NANOSECONDS_PER_HOUR
        ? [magnitude / NANOSECONDS_PER_HOUR, 'hour']
        : magnitude >= NANOSECONDS_PER_UNIT.m
          ? [magnitude / NANOSECONDS_PER_UNIT.m, 'minute']
          : [magnitude / NANOSECONDS_PER_UNIT.s, 'second'];
  const rounded = Math.round(amount * 10) / 10;
  return `${nanoseconds < 0 ? '-' : ''}${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}
