/**
 * `podstart.registry.*` as the server uses them: checked once, defaults filled in, and a bad value
 * dropped with a log line (as server/settings.ts does for the analysis settings). Registry access is
 * off unless `enabled` is exactly `true`.
 */
import { DEFAULT_PLATFORM, formatPlatform, parsePlatform } from '../core/registry/platform';

export interface RegistrySettings {
  enabled: boolean;
  /** `os/arch[/variant]`, checked. */
  platform: string;
  insecureRegistries: string[];
}

export const DEFAULT_REGISTRY_SETTINGS: RegistrySettings = { enabled: false, platform: formatPlatform(DEFAULT_PLATFORM), insecureRegistries: [] };

/** A registry host, with an optional port: what `insecureRegistries` may list. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the `registry` member of the `podstart` section. */
export function readRegistrySettings(raw: unknown): { settings: RegistrySettings; problems: string[] } {
  const settings: RegistrySettings = { ...DEFAULT_REGISTRY_SETTINGS, insecureRegistries: [] };
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) return { settings, problems: ['podstart.registry must be an object'] };
  if (raw.enabled !== undefined && raw.enabled !== null) {
    if (typeof raw.enabled === 'boolean') settings.enabled = raw.enabled;
    else problems.push('podstart.registry.enabled must be true or false');
  }
  if (raw.platform !== undefined && raw.platform !== null && raw.platform !== '') {
    const platform = typeof raw.platform === 'string' ? parsePlatform(raw.platform) : undefined;
    if (platform) settings.platform = formatPlatform(platform);
    else problems.push(`podstart.registry.platform ${JSON.stringify(raw.platform)} is not a platform such as "linux/amd64"`);
  }
  if (raw.insecureRegistries !== undefined && raw.insecureRegistries !== null) {
    if (!Array.isArray(raw.insecureRegistries)) {
      problems.push('podstart.registry.insecureRegistries must be a list of hosts such as "registry.internal:5000"');
    } else {
      for (const entry of raw.insecureRegistries) {
        if (typeof entry === 'string' && HOST.test(entry.trim())) settings.insecureRegistries.push(entry.trim());
        else problems.push(`podstart.registry.insecureRegistries: ${JSON.stringify(entry)} is not a host or host:port`);
      }
    }
  }
  return { settings, problems };
}

export function sameRegistrySettings(a: RegistrySettings, b: RegistrySettings): boolean {
  return a.enabled === b.enabled && a.platform === b.platform && a.insecureRegistries.join('\n') === b.insecureRegistries.join('\n');
}
