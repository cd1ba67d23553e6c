/**
 * A generator's view of its option values: each read as its declared type, its default when none was
 * given (a test or a front end may call `generate` directly, without core/generate/option-values.ts
 * `resolveOptionValues`), and checked for what the API server would refuse (a namespace that is not
 * a DNS label, a node label that is not one). A value that does not fit throws GeneratorOptionError
 * naming the flag, as the option parser does.
 */
import { GeneratorOptionError, optionFlag } from './option-values';
import type { GeneratorOption, GeneratorOptionValues } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export class OptionReader {
  constructor(
    private readonly options: readonly GeneratorOption[],
    private readonly values: GeneratorOptionValues,
  ) {}

  private declared(name: string): GeneratorOption {
    const option = this.options.find((candidate) => candidate.name === name);
    if (!option) throw new Error(`no option ${name} is declared`);
    return option;
  }

  private value(name: string): unknown {
    const given = this.values[name];
    return given === undefined || given === '' ? this.declared(name).default : given;
  }

  private fail(name: string, message: string): never {
    throw new GeneratorOptionError(`${optionFlag(this.declared(name))} ${message}`);
  }

  string(name: string): string {
    return String(this.value(name) ?? '').trim();
  }

  choice<T extends string>(name: string): T {
    const value = this.string(name);
    const choices = this.declared(name).choices ?? [];
    if (!choices.some((choice) => choice.value === value)) this.fail(name, `is one of ${choices.map((choice) => choice.value).join(', ')}, not "${value}".`);
    return value as T;
  }

  /** A number of at least 0. */
  number(name: string): number {
    const value = Number(this.value(name) ?? 0);
    if (!Number.isFinite(value) || value < 0) this.fail(name, `needs a number of at least 0, not "${String(this.value(name))}".`);
    return value;
  }

  boolean(name: string): boolean {
    const value = this.value(name);
    return typeof value === 'string' ? /^(true|yes|on|1)$/i.test(value.trim()) : Boolean(value);
  }

  /** A list, also from one comma-separated string. */
  list(name: string): string[] {
    const value = this.value(name);
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
    return items.map((item) => String(item).trim()).filter(Boolean);
  }

  /** A DNS-1123 label, as namespaces and the names pods are named after must be, at most `maxLength` long. */
  dnsLabel(name: string, maxLength = 63): string {
    const value = this.string(name);
    if (!DNS_LABEL.test(value) || value.length > maxLength) {
      this.fail(name, `needs lower-case letters, digits and '-', starting and ending with a letter or digit, at most ${maxLength} characters, not "${value}".`);
    }
    return value;
  }

  /** `key=value` node labels as a nodeSelector, each key and value checked as the API server checks labels. */
  nodeSelector(name: string): Record<string, string> {
    const selector: Record<string, string> = {};
    for (const entry of this.list(name)) {
      const equals = entry.indexOf('=');
      const key = entry.slice(0, equals).trim();
      const value = entry.slice(equals + 1).trim();
      if (equals === -1 || !isLabelKey(key) || !isLabelValue(value)) {
        this.fail(name, `takes node labels as key=value (for example cloud.google.com/gke-nodepool=gpu), not "${entry}".`);
      }
      selector[key] = value;
    }
    return selector;
  }
}

/** `[prefix/]name`: a DNS subdomain prefix of at most 253 characters, a name of at most 63. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = key.slice(slash + 1);
  return (prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) && name.length <= 63 && LABEL_NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === '' || (value.length <= 63 && LABEL_NAME.test(value));
}
