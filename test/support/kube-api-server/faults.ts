/**
 * Misbehaviour on demand, per request path: slow answers, 5xx Status errors, connections reset
 * before an answer, requests never answered, bodies that are not what they claim, and watches that
 * are cut (or end) after some events. A rule matches a path exactly, by a pattern where `*` is one
 * path segment and `**` any number, by a regular expression, or by a predicate; it can be limited
 * to a method, to watch or non-watch requests, and to a number of hits.
 */
import type { RequestInfo } from './request-info';

export type Fault =
  /** Waits, then serves the request normally (or applies the next matching fault). */
  | { kind: 'delay'; ms: number }
  /** Answers with a Status error of this code (500 InternalError, 503, 429, 504…). */
  | { kind: 'status'; code: number; message?: string }
  /** Resets the connection without answering. */
  | { kind: 'reset' }
  /** Never answers (until the server stops or the client gives up). */
  | { kind: 'hang' }
  /** Answers 200 (or `status`) with a body that does not parse as what it claims to be. */
  | { kind: 'garbage'; body?: string; contentType?: string; status?: number }
  /** A watch sends this many events, then its connection is cut without the end of the stream. */
  | { kind: 'drop-watch'; afterEvents: number }
  /** A watch sends this many events, then ends cleanly, as when the server's timeout ends it. */
  | { kind: 'end-watch'; afterEvents: number };

export type PathMatcher = string | RegExp | ((path: string, request: RequestInfo) => boolean);

export interface FaultRule {
  path: PathMatcher;
  method?: string;
  /** true: only watch requests; false: only others; omitted: both. */
  watch?: boolean;
  /** How many requests the fault applies to (default: every matching request). */
  times?: number;
  fault: Fault;
}

export interface InjectedFault {
  readonly rule: FaultRule;
  /** How many requests it has applied to. */
  readonly hits: number;
  remove(): void;
}

class ActiveFault implements InjectedFault {
  hits = 0;
  constructor(
    readonly rule: FaultRule,
    private readonly matcher: (path: string, request: RequestInfo) => boolean,
    private readonly onRemove: (fault: ActiveFault) => void,
  ) {}

  matches(method: string, path: string, request: RequestInfo): boolean {
    if (this.rule.times !== undefined && this.hits >= this.rule.times) return false;
    if (this.rule.method && this.rule.method.toUpperCase() !== method) return false;
    if (this.rule.watch !== undefined && (request.verb === 'watch') !== this.rule.watch) return false;
    return this.matcher(path, request);
  }

  remove(): void {
    this.onRemove(this);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function compile(path: PathMatcher): (path: string, request: RequestInfo) => boolean {
  if (typeof path === 'function') return path;
  if (path instanceof RegExp) return (candidate) => path.test(candidate);
  if (!path.includes('*')) return (candidate) => candidate === path;
  const pattern = path
    .split('**')
    .map((piece) => piece.split('*').map(escapeRegExp).join('[^/]+'))
    .join('.*');
  const expression = new RegExp(`^${pattern}$`);
  return (candidate) => expression.test(candidate);
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  inject(rule: FaultRule): InjectedFault {
    const fault = new ActiveFault(rule, compile(rule.path), (removed) => {
      this.faults = this.faults.filter((candidate) => candidate !== removed);
    });
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  /** The faults that apply to a request, in the order they were injected; each counts a hit. */
  take(method: string, path: string, request: RequestInfo): Fault[] {
    const applying = this.faults.filter((fault) => fault.matches(method, path, request));
    for (const fault of applying) fault.hits += 1;
    return applying.map((fault) => fault.rule.fault);
  }
}
