/**
 * Platforms (`linux/amd64`, `linux/arm64/v8`) and the choice of one image from an image index, made
 * the way containerd (and so the kubelet) makes it on a node of that platform: names are normalised
 * first (`aarch64` is `arm64`, `arm64/v8` is plain `arm64`, plain `arm` is `arm/v7`), an exact match
 * wins, then compatible older variants (arm64/v8.2 runs v8.1 and v8 images, arm/v7 runs v6 and v5,
 * amd64/v3 runs v2 and v1), then the 32-bit architecture the CPU also runs (386 on amd64, arm on
 * arm64), in that order. The first descriptor in the index wins among equals, as in containerd.
 */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** Reads `os/arch[/variant]`; undefined when the text has not that shape. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[A-Za-z0-9._-]+$/.test(part))) return undefined;
  const [os, architecture, variant] = parts;
  return { os: os!, architecture: architecture!, variant };
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** containerd's normalisation (platforms.Normalize): one spelling per platform. */
export function normalizePlatform(platform: Platform): Platform {
  const os = platform.os.toLowerCase() === 'macos' ? 'darwin' : platform.os.toLowerCase();
  let architecture = platform.architecture.toLowerCase();
  let variant = (platform.variant ?? '').toLowerCase();
  switch (architecture) {
    case 'i386':
      architecture = '386';
      variant = '';
      break;
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      architecture = 'amd64';
      if (variant === 'v1') variant = '';
      break;
    case 'aarch64':
    case 'arm64':
      architecture = 'arm64';
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      break;
    case 'armhf':
      architecture = 'arm';
      variant = 'v7';
      break;
    case 'armel':
      architecture = 'arm';
      variant = 'v6';
      break;
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = `v${variant}`;
      break;
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** The platforms a node of `wanted` runs, best first (containerd's platforms.Only). */
export function compatiblePlatforms(wanted: Platform): Platform[] {
  const platform = normalizePlatform(wanted);
  const { os } = platform;
  const numbered = (prefix: string) => Number.parseInt((platform.variant ?? '').slice(prefix.length), 10);
  switch (platform.architecture) {
    case 'amd64': {
      const level = platform.variant ? numbered('v') : 1;
      const candidates: Platform[] = [];
      for (let version = Number.isNaN(level) ? 1 : level; version >= 1; version--) {
        candidates.push(normalizePlatform({ os, architecture: 'amd64', variant: `v${version}` }));
      }
      if (Number.isNaN(level)) candidates.unshift(platform);
      candidates.push({ os, architecture: '386' });
      return candidates;
    }
    case 'arm': {
      const level = numbered('v');
      if (Number.isNaN(level)) return [platform];
      const candidates: Platform[] = [];
      for (let version = level; version >= 5; version--) candidates.push({ os, architecture: 'arm', variant: `v${version}` });
      return candidates;
    }
    case 'arm64': {
      const variant = platform.variant ?? 'v8';
      const match = /^v(8|9)(?:\.(\d))?$/.exec(variant);
      if (!match) return [platform];
      const major = Number(match[1]);
      const minor = Number(match[2] ?? 0);
      // ARMv9.x implements ARMv8.(x+5), so a v9 CPU also runs v8 images up to that level.
      const ranges: Array<[number, number]> = major === 9 ? [[9, minor], [8, Math.min(minor + 5, 9)]] : [[8, minor]];
      const candidates: Platform[] = [];
      for (const [rangeMajor, top] of ranges) {
        for (let version = top; version >= 0; version--) {
          candidates.push(normalizePlatform({ os, architecture: 'arm64', variant: version === 0 ? `v${rangeMajor}` : `v${rangeMajor}.${version}` }));
        }
      }
      for (let version = 8; version >= 5; version--) candidates.push({ os, architecture: 'arm', variant: `v${version}` });
      return candidates;
    }
    default:
      return [platform];
  }
}

export function samePlatform(a: Platform, b: Platform): boolean {
  const left = normalizePlatform(a);
  const right = normalizePlatform(b);
  return left.os === right.os && left.architecture === right.architecture && (left.variant ?? '') === (right.variant ?? '');
}

/** The index entry a node of `wanted` pulls, or undefined when none runs there. */
export function choosePlatform<T extends { platform?: Platform }>(entries: readonly T[], wanted: Platform): T | undefined {
  for (const candidate of compatiblePlatforms(wanted)) {
    const found = entries.find((entry) => entry.platform && samePlatform(entry.platform, candidate));
    if (found) return found;
  }
  return undefined;
}
