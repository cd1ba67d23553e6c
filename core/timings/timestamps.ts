/**
 * API timestamps as epoch milliseconds. `metav1.Time` serialises to whole seconds, so every time read
 * from a pod's status or a legacy event is truncated to the second (each phase figure is therefore good
 * to about a second); `metav1.MicroTime` (eventTime, series.lastObservedTime) keeps microseconds, of
 * which we keep the milliseconds.
 */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const fast = parseApiTime(value);
  if (fast !== undefined) return fast;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/**
 * The layout the API server writes, `2025-06-03T09:00:01Z` or `2025-06-03T09:00:01.214503Z`, read by
 * hand: a snapshot holds hundreds of thousands of these and Date.parse dominated the profile. Anything
 * else (offsets, other layouts) returns undefined and goes to Date.parse.
 */
function parseApiTime(value: string): number | undefined {
  const length = value.length;
  if (length < 20 || value.charCodeAt(length - 1) !== 90 /* Z */ || value.charCodeAt(10) !== 84 /* T */) return undefined;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  let millis = 0;
  if (length > 20) {
    const fractionDigits = length - 21;
    if (value.charCodeAt(19) !== 46 /* . */ || fractionDigits < 1) return undefined;
    millis = digitsAt(value, 20, Math.min(3, fractionDigits)) * (fractionDigits >= 3 ? 1 : fractionDigits === 2 ? 10 : 100);
    if (fractionDigits > 3 && Number.isNaN(digitsAt(value, 23, fractionDigits - 3))) return undefined;
  }
  if (Number.isNaN(year + month + day + hour + minute + second + millis) || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The decimal number in value[from, from + count), or NaN. */
function digitsAt(value: string, from: number, count: number): number {
  let result = 0;
  for (let index = from; index < from + count; index++) {
    const code = value.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return NaN;
    result = result * 10 + code;
  }
  return result;
}

/** Milliseconds in one unit of a Go `time.Duration` string. */
const GO_DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5, what Go prints
  'μs': 1e-3, // U+03BC, which Go also accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_DURATION = /^(?:(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * A Go `time.Duration.String()` value ("313ms", "1.594s", "1m2.345s", "4.209136582s", "0s") in
 * milliseconds, or undefined when it is not one. The kubelet writes its pull durations this way.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!GO_DURATION.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(GO_DURATION_PART)) total += Number(match[1]) * GO_DURATION_UNITS[match[2]];
  // Round away the float noise of unit products (1.594 * 1000 = 1594.0000000000002).
  return Math.round(total * 1e6) / 1e6;
}
