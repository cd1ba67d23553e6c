/**
 * Regular expressions that come from settings or a repository's .podstart.yaml. JavaScript's own
 * engine backtracks: a pattern such as `(a+)+$` takes exponential time on a short string, and a
 * running match cannot be interrupted, so one such pattern in a cloned repository would hang the
 * language server. These patterns therefore run on RE2JS, a port of RE2 whose matching time is
 * linear in the input whatever the pattern. RE2 has no lookaround and no backreferences; a pattern
 * using them is refused with RE2's message (the config file reports it; the rule falls back to its
 * default). Compiled patterns are kept, so a rule does not compile one per image.
 */
import { RE2JS } from 're2js';

export interface SafePattern {
  test(text: string): boolean;
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return `is not a regular expression Podstart can run in linear time (${(error as Error).message}; lookaround and backreferences are not supported)`;
  }
}

const compiled = new Map<string, SafePattern | undefined>();
const MAX_KEPT = 64;

/**
 * Patterns Podstart itself ships as option defaults. Each is anchored and has no nested or
 * overlapping repetition, so the native engine runs it in linear time too, several times faster
 * than RE2JS (the default pinned-tag pattern was half a rule's time over the corpus);
 * test/core/safe-pattern.test.ts checks both engines agree on them.
 */
const shipped = new Set<string>();

/** Declares `pattern` as one Podstart ships (see `shipped`); returns it. */
export function shippedPattern(pattern: string): string {
  shipped.add(pattern);
  return pattern;
}

/** The pattern compiled for linear-time matching (`test` finds a match anywhere, as RegExp.test), or undefined when patternProblem refuses it. */
export function compileSafePattern(pattern: string): SafePattern | undefined {
  if (compiled.has(pattern)) return compiled.get(pattern);
  let safe: SafePattern | undefined;
  if (shipped.has(pattern)) {
    const native = new RegExp(pattern);
    safe = { test: (text) => native.test(text) };
  } else {
    try {
      const regex = RE2JS.compile(pattern);
      safe = { test: (text) => regex.matcher(text).find() };
    } catch {
      safe = undefined;
    }
  }
  if (compiled.size >= MAX_KEPT) compiled.clear();
  compiled.set(pattern, safe);
  return safe;
}
