/**
 * Bearer tokens already obtained, so that the index, the platform manifest and the next lookups in
 * the same repository reuse one token instead of asking the token service each time. Tokens live in
 * memory only and expire as the token service said (`expires_in`, 60 s when it says nothing).
 */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  get(key: string): string | undefined {
    const entry = this.tokens.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.tokens.delete(key);
      return undefined;
    }
    return entry.token;
  }

  set(key: string, token: string, lifetimeSeconds: number): void {
    // Ten seconds of margin so that a token is not sent as it expires.
    this.tokens.set(key, { token, expiresAt: Date.now() + Math.max(lifetimeSeconds - 10, 1) * 1000 });
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }

  /** Every token held, for redacting them from messages. */
  values(): string[] {
    return [...this.tokens.values()].map((entry) => entry.token);
  }
}
