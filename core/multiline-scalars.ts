/**
 * Whether a line lies inside a multi-line YAML scalar (a block scalar, `key: |` and the lines
 * indented under it, or a quoted scalar running over several lines), judged from the text alone.
 * Template detection asks it before parsing a document it does not analyse: a Grafana dashboard,
 * a chat template or kserve's vLLM command lines hold hundreds of `{{ }}` lines, all inside
 * scalars, and parsing 200 KB to learn that cost more than the rest of the file's analysis.
 *
 * The answer is conservative: `undefined` means "not shown to be inside one", never "outside".
 * It agrees with `yaml` on text that parses (test/core/multiline-scalars.test.ts compares them on
 * random documents and line soups). On text that does not parse it may call a line inside a
 * scalar where the parser, past an error, would not: the template check then no longer takes a
 * broken document whose `{{ }}` all sit in scalars for a template. Lines are split at `\n` (a `\r` before it is ignored): a text with a lone `\r`,
 * which YAML also reads as a line break, is for the caller to keep away (hasLoneCarriageReturn).
 */

/** A mapping key as the openers below accept it: plain, no flow or quote characters, no `: ` inside. */
const KEY = String.raw`[^\s#'"{}[\],&!|>?*%@\x60:](?:[^#'"{}[\]\r:]|:(?=\S))*?: +`;
/** What may precede a scalar on its first line: sequence dashes, a key, tags and anchors. */
const LEAD = String.raw`^ *(?:- +)*(?:${KEY}|- +)?(?:[&!]\S* +)*`;
/** `key: |`, `- >-`, `key: !tag &anchor |+ # comment`: a header whose content indentation is set by its first line (no `|2`). */
const BLOCK_HEADER = new RegExp(`${LEAD}[|>][+-]? *(?:#.*)?$`);
/** `key: "text` or `- 'text`: where a quoted scalar opens; group 1 is the quote. */
const QUOTE_OPENER = new RegExp(`${LEAD}(["'])`);

export function hasLoneCarriageReturn(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

/**
 * When the line starting at `lineStart` lies inside a multi-line scalar: an offset such that every
 * line from `lineStart` up to it, comment-looking lines aside, is inside that scalar too (the start
 * of the first line past the scalar, or of the line where a quoted scalar closes). Otherwise
 * undefined, and always for a line that starts with `#`.
 *
 * Walking back from the line, the scalar's first line is the first one indented less than every
 * non-blank line after it. For a block scalar, the content's indentation is that of the first
 * non-blank line after the header, and no non-blank line down to ours may be indented less (it
 * would end the scalar). For a quoted scalar, its closing quote must come after our line.
 */
export function enclosingScalarEnd(text: string, lineStart: number): number | undefined {
  const ownEnd = lineEndOf(text, lineStart);
  if (isBlank(text, lineStart, ownEnd)) return undefined;
  let least = indentOf(text, lineStart, ownEnd);
  // A `#` line is content in a block scalar but a comment after a plain one that only looks like a header (`words\n- >`).
  if (text.charCodeAt(lineStart + least) === 35) return undefined;
  // The indentation of the non-blank line met last walking back: the first one after the line being looked at.
  let following = least;
  for (let end = lineStart - 1; end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    end = start - 1;
    if (isBlank(text, start, lineEnd)) continue;
    const indent = indentOf(text, start, lineEnd);
    if (indent < least) {
      const line = text.slice(start, lineEnd);
      if (BLOCK_HEADER.test(line)) {
        return following > indent && least >= following ? contentEnd(text, ownEnd, following) : undefined;
      }
      const opener = QUOTE_OPENER.exec(line);
      if (opener) {
        const closing = closingQuote(text, start + opener[0].length, opener[1]);
        if (closing <= ownEnd) return undefined;
        // A line indented no deeper than the opener ends the claim: in a document that parses, the
        // quoted scalar cannot run past it, and an opener that was itself text in a block scalar does not.
        return Math.min(text.lastIndexOf('\n', closing) + 1, contentEnd(text, ownEnd, indent + 1));
      }
      least = indent;
    }
    following = indent;
  }
  return undefined;
}

/** From the end of a line on: the start of the first non-blank line indented less than `contentIndent`, or the text's end. */
function contentEnd(text: string, from: number, contentIndent: number): number {
  for (let start = from + 1; start < text.length; ) {
    const lineEnd = lineEndOf(text, start);
    if (!isBlank(text, start, lineEnd) && indentOf(text, start, lineEnd) < contentIndent) return start;
    start = lineEnd + 1;
  }
  return text.length;
}

/** The offset of the quote that closes a scalar opened just before `from` (`\"` and `''` are escapes); the text's length when none does. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let at = text.indexOf(quote, from); at !== -1; at = text.indexOf(quote, at + 1)) {
    if (quote === "'") {
      if (text.charCodeAt(at + 1) !== 39) return at;
      at++;
      continue;
    }
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

function indentOf(text: string, lineStart: number, lineEnd: number): number {
  let at = lineStart;
  while (at < lineEnd && text.charCodeAt(at) === 32) at++;
  return at - lineStart;
}

function isBlank(text: string, lineStart: number, lineEnd: number): boolean {
  for (let at = lineStart; at < lineEnd; at++) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 13) return false;
  }
  return true;
}

function lineEndOf(text: string, lineStart: number): number {
  const newline = text.indexOf('\n', lineStart);
  return newline === -1 ? text.length : newline;
}
