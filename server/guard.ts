/**
 * No handler may throw into the editor: a bug in one request costs that request (answered with a
 * neutral result) and a line in the Podstart output, never the session. Messages carry the error
 * and its stack only; document text and setting values are never logged.
 */
export interface ErrorLog {
  error(message: string): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export function guard<Args extends unknown[], Result>(
  log: ErrorLog,
  name: string,
  fallback: Result,
  handler: (...args: Args) => Result | Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    try {
      return await handler(...args);
    } catch (error) {
      log.error(`Podstart: ${name} failed: ${describeError(error)}`);
      return fallback;
    }
  };
}
