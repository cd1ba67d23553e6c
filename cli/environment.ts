/**
 * What the CLI needs from the process, passed in rather than reached for, so that a run can be
 * driven from a test as well as from bin/podstart.js.
 */
export interface CliEnvironment {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** All of standard input, as text. */
  readStdin(): Promise<string>;
}
