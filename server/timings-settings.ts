/**
 * `podstart.kubeconfig`, `podstart.cluster.*` and `podstart.timings.*` as the timings service uses
 * them: read once for the whole server (like `podstart.registry.*`), checked, defaults filled in, and
 * a bad value dropped with a log line rather than reaching the cluster code.
 */
import { parseGoDuration } from '../core/kubelet/go-duration';

export interface TimingsSettings {
  /** Code lenses above workloads. */
  enabled: boolean;
  /** `podstart.kubeconfig`, as written (a leading `~` is expanded by core/cluster/kubeconfig). */
  kubeconfig?: string;
  /** `podstart.cluster.context`; absent: the kubeconfig's current context. */
  context?: string;
  /** `podstart.cluster.namespace`; absent: the context's namespace. */
  namespace?: string;
  /** Only pods created this long before the capture; absent: every pod the cluster still has. */
  windowMs?: number;
  /** 0: refresh only on save and on command. */
  refreshIntervalMs: number;
  /** `podstart.timings.snapshot`, as written (relative paths are the workspace folder's). */
  snapshot?: string;
  /** `podstart.timings.nodeDetails`: also read each kubelet's /configz and /metrics through the node proxy (get on nodes/proxy). */
  nodeDetails: boolean;
  /** `podstart.timings.watch`: after reading a namespace, watch its pods, events and owners for changes (a live cluster only). */
  watch: boolean;
}

export const DEFAULT_TIMINGS_SETTINGS: TimingsSettings = { enabled: true, refreshIntervalMs: 0, nodeDetails: false, watch: true };

/**
 * A shorter interval would have every open manifest's namespaces listed again and again: each
 * refresh is nine list requests per namespace, and the API server is shared with everyone.
 */
export const MIN_REFRESH_INTERVAL_SECONDS = 10;

/** A DNS-1123 label: what a namespace name must be. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads the `podstart` section (its `kubeconfig`, `cluster` and `timings` members). */
export function readTimingsSettings(section: unknown): { settings: TimingsSettings; problems: string[] } {
  const settings: TimingsSettings = { ...DEFAULT_TIMINGS_SETTINGS };
  const problems: string[] = [];
  if (!isRecord(section)) return { settings, problems };

  if (section.kubeconfig !== undefined && section.kubeconfig !== null) {
    if (typeof section.kubeconfig === 'string') settings.kubeconfig = text(section.kubeconfig);
    else problems.push('podstart.kubeconfig must be a file path');
  }

  const cluster = section.cluster;
  if (isRecord(cluster)) {
    if (cluster.context !== undefined && cluster.context !== null) {
      if (typeof cluster.context === 'string') settings.context = text(cluster.context);
      else problems.push('podstart.cluster.context must be the name of a kubeconfig context');
    }
    if (cluster.namespace !== undefined && cluster.namespace !== null && cluster.namespace !== '') {
      if (typeof cluster.namespace === 'string' && NAMESPACE.test(cluster.namespace.trim())) settings.namespace = cluster.namespace.trim();
      else problems.push(`podstart.cluster.namespace ${JSON.stringify(cluster.namespace)} is not a namespace name`);
    }
  } else if (cluster !== undefined && cluster !== null) {
    problems.push('podstart.cluster must be an object');
  }

  const timings = section.timings;
  if (isRecord(timings)) {
    if (timings.enabled !== undefined && timings.enabled !== null) {
      if (typeof timings.enabled === 'boolean') settings.enabled = timings.enabled;
      else problems.push('podstart.timings.enabled must be true or false');
    }
    if (timings.window !== undefined && timings.window !== null && timings.window !== '') {
      const nanoseconds = typeof timings.window === 'string' ? parseGoDuration(timings.window.trim()) : undefined;
      if (nanoseconds !== undefined && nanoseconds > 0) settings.windowMs = nanoseconds / 1e6;
      else problems.push(`podstart.timings.window ${JSON.stringify(timings.window)} is not a duration such as "30m", "6h" or "24h"`);
    }
    if (timings.refreshInterval !== undefined && timings.refreshInterval !== null) {
      const seconds = timings.refreshInterval;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        problems.push('podstart.timings.refreshInterval must be a number of seconds (0: only on save and on command)');
      } else if (seconds > 0 && seconds < MIN_REFRESH_INTERVAL_SECONDS) {
        problems.push(`podstart.timings.refreshInterval ${seconds} is below ${MIN_REFRESH_INTERVAL_SECONDS} seconds; using ${MIN_REFRESH_INTERVAL_SECONDS}`);
        settings.refreshIntervalMs = MIN_REFRESH_INTERVAL_SECONDS * 1000;
      } else {
        settings.refreshIntervalMs = seconds * 1000;
      }
    }
    if (timings.snapshot !== undefined && timings.snapshot !== null) {
      if (typeof timings.snapshot === 'string') settings.snapshot = text(timings.snapshot);
      else problems.push('podstart.timings.snapshot must be a file path');
    }
    if (timings.nodeDetails !== undefined && timings.nodeDetails !== null) {
      if (typeof timings.nodeDetails === 'boolean') settings.nodeDetails = timings.nodeDetails;
      else problems.push('podstart.timings.nodeDetails must be true or false');
    }
    if (timings.watch !== undefined && timings.watch !== null) {
      if (typeof timings.watch === 'boolean') settings.watch = timings.watch;
      else problems.push('podstart.timings.watch must be true or false');
    }
  } else if (timings !== undefined && timings !== null) {
    problems.push('podstart.timings must be an object');
  }
  return { settings, problems };
}

export function sameTimingsSettings(a: TimingsSettings, b: TimingsSettings): boolean {
  return (
    a.enabled === b.enabled &&
    a.kubeconfig === b.kubeconfig &&
    a.context === b.context &&
    a.namespace === b.namespace &&
    a.windowMs === b.windowMs &&
    a.refreshIntervalMs === b.refreshIntervalMs &&
    a.snapshot === b.snapshot &&
    a.nodeDetails === b.nodeDetails &&
    a.watch === b.watch
  );
}

/** Whether the change needs the cluster (or the snapshot) read again: another source (or more of it), not only another view of the same data. */
export function sameTimingsSource(a: TimingsSettings, b: TimingsSettings): boolean {
  return a.kubeconfig === b.kubeconfig && a.context === b.context && a.snapshot === b.snapshot && a.nodeDetails === b.nodeDetails;
}
