/**
 * A generator's option values as the front ends receive them (CLI flags as text, editor answers as
 * text or JSON), checked against the generator's declaration in one place, so that a value the CLI
 * refuses is refused in the editor with the same words, and both fill in the same defaults.
 *
 * This file owns the per-type checks (a number, true or false, one of the choices, a list of texts)
 * and the declared defaults: `resolveOptionValues` runs them for the front ends, and
 * core/generate/option-reader.ts runs the same `checkOptionValue` for a generator called directly,
 * then adds what only the generator's output gives meaning to (a DNS name, node labels, a lower
 * bound). They live here rather than in the reader because of the bundle: no runtime imports, so
 * the extension client bundles this file to check what is typed in its input boxes without pulling
 * in the generators or the reader's Kubernetes name rules.
 */
import type { GeneratorOption, GeneratorOptionValues } from './types';

/** A value that does not fit its option: the message names the option as the CLI does (`--node-selector`). */
export class GeneratorOptionError extends Error {
  override name = 'GeneratorOptionError';
}

export type OptionValue = string | number | boolean | string[];

/** `nodeSelector` → `node-selector`: the CLI flag of an option, without its dashes. */
export function kebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z])([A-Z][a-z])/g, '$1-$2').toLowerCase();
}

/** `nodeSelector` → `--node-selector`, `minSizeMb` → `--min-size-mb`. */
export function optionFlag(option: Pick<GeneratorOption, 'name'>): string {
  return `--${kebabCase(option.name)}`;
}

/** The choices of a choice option, as a sentence fragment: `daemonset, image-volumes`. */
function choiceList(option: GeneratorOption): string {
  return (option.choices ?? []).map((choice) => choice.value).join(', ');
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

/**
 * One value typed as text: a number, a boolean (`true`/`false`), one of the choices, a string, or
 * for a string list the items of a comma-separated text (`a,b, c`; empty items dropped). Throws a
 * GeneratorOptionError that names the flag and says what it takes.
 */
export function parseOptionText(option: GeneratorOption, text: string): OptionValue {
  const flag = optionFlag(option);
  const trimmed = text.trim();
  switch (option.type) {
    case 'number': {
      const value = Number(trimmed);
      if (trimmed === '' || !Number.isFinite(value)) throw new GeneratorOptionError(`${flag} takes a number, not "${text}".`);
      return value;
    }
    case 'boolean': {
      const word = trimmed.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      throw new GeneratorOptionError(`${flag} takes true or false, not "${text}".`);
    }
    case 'choice': {
      const choice = option.choices?.find((candidate) => candidate.value === trimmed);
      if (!choice) throw new GeneratorOptionError(`${flag} must be one of ${choiceList(option)}, not "${text}".`);
      return choice.value;
    }
    case 'string-list':
      return trimmed
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'string':
      return trimmed;
  }
}

/**
 * A value of the option's type (a JSON value from the editor, or text parsed as the CLI parses it).
 * Already-checked values pass unchanged, so the reader may check what resolveOptionValues resolved.
 */
export function checkOptionValue(option: GeneratorOption, value: unknown): OptionValue {
  if (typeof value === 'string') return parseOptionText(option, value);
  const flag = optionFlag(option);
  if (option.type === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
  if (option.type === 'boolean' && typeof value === 'boolean') return value;
  if (option.type === 'string-list' && Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.flatMap((item) => parseOptionText(option, item) as string[]);
  }
  const takes = { number: 'a number', boolean: 'true or false', choice: `one of ${choiceList(option)}`, 'string-list': 'a list of names', string: 'a text' }[option.type];
  throw new GeneratorOptionError(`${flag} takes ${takes}, not ${JSON.stringify(value)}.`);
}

/** A declared default as a value of the option's type (a readonly list copied). */
export function defaultValue(option: GeneratorOption): OptionValue | undefined {
  const value = option.default;
  return Array.isArray(value) ? [...value] : (value as Exclude<OptionValue, string[]> | undefined);
}

/**
 * The values a generator runs with: each declared option's given value, checked, or else its
 * default. A name the generator does not declare is refused (a typo would otherwise be ignored).
 */
export function resolveOptionValues(options: readonly GeneratorOption[], given: Readonly<Record<string, unknown>>): GeneratorOptionValues {
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !options.some((option) => option.name === name)) throw new GeneratorOptionError(`Unknown option --${kebabCase(name)}.`);
  }
  const values: GeneratorOptionValues = {};
  for (const option of options) {
    const value = given[option.name];
    values[option.name] = value === undefined || value === null ? defaultValue(option) : checkOptionValue(option, value);
  }
  return values;
}
