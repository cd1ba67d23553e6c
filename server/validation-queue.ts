/**
 * When to analyse after an edit. A single edit is analysed at once (no debounce delay: the
 * latency the user sees is the analysis itself). A burst of edits is analysed once, after the
 * burst: the JSON-RPC connection dispatches one queued message per event-loop turn, so the queue
 * waits one turn with no new edit before running, and never longer than a few milliseconds in
 * total. Analysis itself is synchronous; edits that arrive while it runs are queued by the
 * connection and coalesced into the next run.
 */
export class ValidationQueue {
  private readonly pending = new Set<string>();
  private readonly running = new Set<string>();
  private edits = 0;
  private seenEdits = -1;
  private waiting = false;
  private burstStart = 0;

  constructor(
    private readonly validate: (uri: string) => Promise<void>,
    /** Upper bound on how long a continuous stream of edits postpones analysis. */
    private readonly maxWaitMs = 4,
  ) {}

  /** A document changed (or its settings did): analyse it once the current burst is applied. */
  schedule(uri: string): void {
    this.pending.add(uri);
    this.edits++;
    this.wake();
  }

  /** The document closed: whatever was pending for it is moot. */
  cancel(uri: string): void {
    this.pending.delete(uri);
  }

  private wake(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.seenEdits = -1;
    this.burstStart = performance.now();
    setImmediate(() => this.turn());
  }

  private turn(): void {
    if (this.seenEdits !== this.edits && performance.now() - this.burstStart < this.maxWaitMs) {
      // An edit arrived since the last turn (or this is the first turn): give the connection one
      // more turn to dispatch the next queued message before analysing.
      this.seenEdits = this.edits;
      setImmediate(() => this.turn());
      return;
    }
    this.waiting = false;
    this.flush();
  }

  private flush(): void {
    for (const uri of [...this.pending]) {
      // One analysis per document at a time; a change during it re-queues the document.
      if (this.running.has(uri)) continue;
      this.pending.delete(uri);
      this.running.add(uri);
      this.validate(uri)
        // `validate` logs its own errors; this only keeps a rejection from ending the process.
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(uri);
          if (this.pending.has(uri)) this.wake();
        });
    }
  }
}
