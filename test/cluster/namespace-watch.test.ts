/**
 * core/cluster/namespace-watch.ts with a scripted client and fake time: where each watch starts,
 * what follows each way a watch ends (a clean end, 410 Gone, forbidden, a failure), the backoff's
 * waits to the millisecond, and silence once stopped. The same class against the HTTPS test server,
 * inside the editor's timings service, is in test/server/timings-watch.test.ts.
 */
import assert from 'node:assert/strict';
import { NamespaceWatch, type NamespaceWatchOptions, type WatchClient, type WatchError, type WatchTimers } from '../../core/cluster/namespace-watch';
import type { Query } from '../../core/cluster/read-only-client';

/** Time that moves only when told; `random` is fixed (0: no jitter, the full delay). */
class FakeTime implements WatchTimers {
  private at = 1_000_000;
  private next = 1;
  private readonly pending = new Map<number, { due: number; callback: () => void }>();
  constructor(public randomValue = 0) {}
  now = () => this.at;
  random = () => this.randomValue;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.next++;
    this.pending.set(id, { due: this.at + ms, callback });
    return id;
  };
  clearTimeout = (handle: unknown) => void this.pending.delete(handle as number);
  /** Runs the timers due within `ms`, in order. */
  advance(ms: number): void {
    const end = this.at + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.at = due[1].due;
      due[1].callback();
    }
    this.at = end;
  }
  get timers(): number {
    return this.pending.size;
  }
}

interface Call {
  path: string;
  query: Query;
  emit(type: string, object: unknown): void;
  end(error?: WatchError): void;
  stopped: boolean;
}

/** A client whose watches the test drives: each call is recorded and ended by hand. */
class ScriptedClient implements WatchClient {
  readonly calls: Call[] = [];
  async watch(path: string, query: Query, onEvent: (type: string, object: unknown) => void, onEnd: (error?: WatchError) => void) {
    const call: Call = { path, query, emit: onEvent, end: onEnd, stopped: false };
    this.calls.push(call);
    return { stop: () => void (call.stopped = true) };
  }
  of(resource: string): Call[] {
    return this.calls.filter((call) => call.path.endsWith(`/${resource}`));
  }
  last(resource: string): Call {
    const calls = this.of(resource);
    return calls[calls.length - 1];
  }
}

const pod = (name: string, resourceVersion: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion } });
const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(overrides: Partial<NamespaceWatchOptions> = {}, random = 0) {
  const client = new ScriptedClient();
  const time = new FakeTime(random);
  const seen: string[] = [];
  const watch = new NamespaceWatch({
    client,
    namespace: 'shop',
    resourceVersions: { pods: '100', events: '100' },
    onEvent: (resource, type, object) => seen.push(`${resource} ${type} ${object.metadata?.name ?? ''}@${object.metadata?.resourceVersion}`),
    onGone: (resource) => seen.push(`gone ${resource}`),
    onRefused: (resource, error) => seen.push(`refused ${resource} ${error.kind}`),
    onRetry: (resource, error, delayMs, attempt) => seen.push(`retry ${resource} ${error.kind} ${delayMs} #${attempt}`),
    timers: time,
    timeoutSeconds: 400,
    ...overrides,
  });
  return { client, time, seen, watch };
}

describe('core/cluster: NamespaceWatch', () => {
  it('watches each resource from its list\'s resourceVersion, follows objects and bookmarks, and goes on at once after a clean end', async () => {
    const { client, time, seen, watch } = setup();
    watch.start();
    await flush();
    assert.deepEqual(client.calls.map((call) => [call.path, call.query.resourceVersion, call.query.timeoutSeconds]), [
      ['/api/v1/namespaces/shop/pods', '100', 400],
      ['/api/v1/namespaces/shop/events', '100', 400],
    ]);
    client.last('pods').emit('ADDED', pod('web-1', '101'));
    client.last('pods').emit('MODIFIED', pod('web-1', '102'));
    client.last('pods').emit('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '150' } });
    assert.deepEqual(seen, ['pods ADDED web-1@101', 'pods MODIFIED web-1@102', 'pods BOOKMARK @150']);
    assert.equal(watch.resourceVersion('pods'), '150');
    // The server's timeout ends it cleanly: watched again at once, from the bookmark.
    time.advance(5_000);
    client.last('pods').end();
    await flush();
    assert.deepEqual(client.of('pods').map((call) => call.query.resourceVersion), ['100', '150']);
    assert.equal(client.of('events').length, 1);
  });

  it('backs off 1 s, 2 s, 4 s … up to 60 s between failed watches, with jitter, and starts over after a watch that lived a while', async () => {
    const { client, time, seen, watch } = setup({ resourceVersions: { pods: '100' } });
    watch.start();
    await flush();
    const waits: number[] = [];
    for (let attempt = 0; attempt < 9; attempt++) {
      client.last('pods').end({ kind: 'server', message: 'Internal error' });
      const retry = seen.pop()!;
      const wait = Number(retry.split(' ')[3]);
      waits.push(wait);
      // Not one millisecond early.
      time.advance(wait - 1);
      await flush();
      assert.equal(client.of('pods').length, attempt + 1);
      time.advance(1);
      await flush();
      assert.equal(client.of('pods').length, attempt + 2);
    }
    assert.deepEqual(waits, [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    // This one lives two minutes, then the connection breaks: back to 1 s.
    time.advance(120_000);
    client.last('pods').end({ kind: 'unreachable', message: 'ECONNRESET' });
    assert.equal(seen.pop(), 'retry pods unreachable 1000 #1');
    // Jitter: each wait is between half of the delay and all of it.
    const jittered = setup({ resourceVersions: { pods: '100' } }, 1);
    jittered.watch.start();
    await flush();
    jittered.client.last('pods').end({ kind: 'timeout', message: 'slow' });
    assert.equal(jittered.seen.pop(), 'retry pods timeout 500 #1');
  });

  it('counts a clean end at once with nothing delivered as a failure, so that a server closing every watch is not asked in a loop', async () => {
    const { client, time, seen, watch } = setup({ resourceVersions: { pods: '100' } });
    watch.start();
    await flush();
    client.last('pods').end();
    await flush();
    assert.equal(client.of('pods').length, 1, 'not at once');
    assert.match(seen.pop()!, /^retry pods server 1000 #1$/);
    time.advance(1_000);
    await flush();
    assert.equal(client.of('pods').length, 2);
  });

  it('hands a 410 Gone to its owner and a forbidden or unauthorized watch to onRefused, and asks for neither again', async () => {
    const { client, time, seen, watch } = setup({ resourceVersions: { pods: '100', events: '100', replicasets: '100' } });
    watch.start();
    await flush();
    client.last('pods').end({ kind: 'gone', message: 'too old resource version: 100 (180)' });
    client.last('events').end({ kind: 'forbidden', message: 'events is forbidden' });
    client.last('replicasets').end({ kind: 'unauthorized', message: 'Unauthorized' });
    assert.deepEqual(seen, ['gone pods', 'refused events forbidden', 'refused replicasets unauthorized']);
    time.advance(3_600_000);
    await flush();
    assert.equal(client.calls.length, 3);
    assert.deepEqual(watch.watching, []);
    assert.equal(time.timers, 0, 'no timer left behind');
  });

  it('takes a watch silent a minute past its timeout for a dead connection, closes it and watches again', async () => {
    const { client, time, seen, watch } = setup({ resourceVersions: { pods: '100' } });
    watch.start();
    await flush();
    time.advance(400_000 + 59_999);
    assert.equal(client.last('pods').stopped, false);
    time.advance(1);
    assert.equal(client.of('pods')[0].stopped, true);
    assert.match(seen.pop()!, /^retry pods timeout \d+ #1$/);
  });

  it('stops every watch and every pending retry, and calls nothing back afterwards', async () => {
    const { client, time, seen, watch } = setup();
    watch.start();
    await flush();
    client.last('events').end({ kind: 'server', message: 'Internal error' });
    seen.length = 0;
    watch.stop();
    assert.equal(client.last('pods').stopped, true);
    client.last('pods').emit('ADDED', pod('web-2', '120'));
    client.last('pods').end({ kind: 'unreachable', message: 'aborted' });
    time.advance(3_600_000);
    await flush();
    assert.deepEqual(seen, []);
    assert.equal(client.calls.length, 2, 'the events retry was cancelled');
    assert.equal(time.timers, 0);
  });

  it('closes a watch whose response arrives after it was stopped', async () => {
    let release!: () => void;
    const stopped: string[] = [];
    const slow: WatchClient = {
      watch: (path) =>
        new Promise((resolve) => {
          release = () => resolve({ stop: () => stopped.push(path) });
        }),
    };
    const { watch } = setup({ client: slow, resourceVersions: { pods: '100' } });
    watch.start();
    watch.stop();
    release();
    await flush();
    assert.deepEqual(stopped, ['/api/v1/namespaces/shop/pods']);
  });
});
