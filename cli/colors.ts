/**
 * ANSI colours for the text format, or none: colours only when stdout is a terminal, NO_COLOR
 * is unset (https://no-color.org: any non-empty value turns colours off) and --no-color is absent.
 */
export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  underline(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  gray(text: string): string;
  green(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const ANSI_PALETTE: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  underline: wrap(4, 24),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  gray: wrap(90, 39),
  green: wrap(32, 39),
};

const identity = (text: string) => text;
export const PLAIN_PALETTE: Palette = { bold: identity, dim: identity, underline: identity, red: identity, yellow: identity, cyan: identity, gray: identity, green: identity };

export function useColor(stdoutIsTty: boolean | undefined, env: Record<string, string | undefined>, noColorFlag: boolean): boolean {
  return stdoutIsTty === true && !env.NO_COLOR && !noColorFlag;
}
