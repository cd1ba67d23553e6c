/**
 * The one way a generator reads its options: each value checked by option-values.ts
 * `checkOptionValue` (the per-type check `resolveOptionValues` runs for the front ends, so a test or
 * a caller of `generate` that skips it meets the same refusals in the same words), its declared
 * default when none was given, and then checked for what only the generator gives meaning to and
 * the API server would refuse (a namespace that is not a DNS label, a node label that is not one, a
 * negative size). A value that does not fit throws GeneratorOptionError naming the flag, as the
 * option parser does: `--namespace needs …, not "X".`
 *
 * The type checks stay in option-values.ts, which the extension client bundles without runtime
 * imports; the meaning checks live here, beside the getters that apply them.
 */
import { checkOptionValue, defaultValue, GeneratorOptionError, optionFlag, type OptionValue } from './option-values';
import type { GeneratorOption, GeneratorOptionValues } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label, as namespaces and the names pods are named after must be, at most `maxLength` long. */
export function isDnsLabel(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && DNS_LABEL.test(value);
}

/** A DNS-1123 subdomain, as most object names must be: at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

export class OptionReader {
  constructor(
    private readonly options: readonly GeneratorOption[],
    private readonly values: GeneratorOptionValues,
  ) {}

  /** The declaration; reading an undeclared option, or as another type, is the generator's bug, not the user's. */
  private declared(name: string, ...types: ReadonlyArray<GeneratorOption['type']>): GeneratorOption {
    const option = this.options.find((candidate) => candidate.name === name);
    if (!option) throw new Error(`no option ${name} is declared`);
    if (!types.includes(option.type)) throw new Error(`option ${name} is declared as ${option.type}`);
    return option;
  }

  /** The given value checked as its type (a checked value passes unchanged), or the declared default. */
  private value(option: GeneratorOption): OptionValue | undefined {
    const given: unknown = this.values[option.name];
    return given === undefined || given === null ? defaultValue(option) : checkOptionValue(option, given);
  }

  private fail(option: GeneratorOption, requirement: string, value: string): never {
    throw new GeneratorOptionError(`${optionFlag(option)} ${requirement}, not "${value}".`);
  }

  /** The text, trimmed; '' when given empty (what that means is the generator's to say). */
  string(name: string): string {
    return (this.value(this.declared(name, 'string')) as string | undefined) ?? '';
  }

  choice<T extends string>(name: string): T {
    return this.value(this.declared(name, 'choice')) as T;
  }

  /** A number, at least `minimum` when one is given. */
  number(name: string, minimum?: number): number {
    const option = this.declared(name, 'number');
    const value = (this.value(option) as number | undefined) ?? 0;
    if (minimum !== undefined && value < minimum) this.fail(option, `needs a number of at least ${minimum}`, String(value));
    return value;
  }

  boolean(name: string): boolean {
    return Boolean(this.value(this.declared(name, 'boolean')));
  }

  list(name: string): string[] {
    return (this.value(this.declared(name, 'string-list')) as string[] | undefined) ?? [];
  }

  /**
   * A Kubernetes name that `valid` accepts, `requirement` saying what it takes. Empty takes the
   * default: no object is named '', so an empty flag or input box asks for the usual name.
   */
  kubernetesName(name: string, valid: (value: string) => boolean, requirement: string): string {
    const option = this.declared(name, 'string');
    const value = this.string(name) || String(option.default ?? '');
    if (!valid(value)) this.fail(option, requirement, value);
    return value;
  }

  /** A DNS-1123 label, as namespaces and the names pods are named after must be, at most `maxLength` long. */
  dnsLabel(name: string, maxLength = 63): string {
    return this.kubernetesName(name, (value) => isDnsLabel(value, maxLength), `needs lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters`);
  }

  /** `key=value` node labels as a nodeSelector, each key and value checked as the API server checks labels. */
  nodeSelector(name: string): Record<string, string> {
    const option = this.declared(name, 'string-list');
    const selector: Record<string, string> = {};
    for (const entry of this.list(name)) {
      const equals = entry.indexOf('=');
      const key = entry.slice(0, equals).trim();
      const value = entry.slice(equals + 1).trim();
      if (equals === -1 || !isLabelKey(key) || !isLabelValue(value)) this.fail(option, 'takes node labels as key=value (for example cloud.google.com/gke-nodepool=gpu)', entry);
      selector[key] = value;
    }
    return selector;
  }

  /**
   * `key=value` labels a node has, checked only for a key before the `=`: they only choose which
   * workloads' images to take and are written into no object, unlike a nodeSelector (above). The
   * message quotes every entry, as the bootstrap script always has.
   */
  nodeLabels(name: string): Record<string, string> {
    const option = this.declared(name, 'string-list');
    const entries = this.list(name);
    const labels: Record<string, string> = {};
    for (const entry of entries) {
      const equals = entry.indexOf('=');
      if (equals <= 0) this.fail(option, 'takes key=value labels', entries.join(','));
      labels[entry.slice(0, equals).trim()] = entry.slice(equals + 1).trim();
    }
    return labels;
  }
}

/** `[prefix/]name`: a DNS subdomain prefix of at most 253 characters, a name of at most 63. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const name = key.slice(slash + 1);
  return (slash === -1 || isDnsSubdomain(key.slice(0, slash))) && name.length <= 63 && LABEL_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}
