/**
 * Build-argument substitution as Docker applies it to `FROM` and to `ARG` defaults: `$NAME`,
 * `${NAME}`, `${NAME:-word}` / `${NAME-word}` (word when unset or empty / unset) and
 * `${NAME:+word}` / `${NAME+word}` (word when set). Other forms (`${NAME#pattern}`...) are left
 * unresolved: a rule then knows it cannot tell what the text becomes, and says nothing rather
 * than guess.
 */

export interface Expansion {
  /** The text with every variable replaced; undefined when one of them has no value. */
  value?: string;
  /** Names of the variables the text uses, in order, each once. */
  variables: string[];
  /** Names of the variables that had no value and no `:-` default (or a form not understood). */
  unresolved: string[];
}

/** A variable's value, or undefined when it is not declared or declared without a default. */
export type VariableLookup = (name: string) => string | undefined;

const REFERENCE = /\\\$|\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])((?:[^{}]|\{[^{}]*\})*))?\}|\{[^}]*\})/g;

export function expandVariables(text: string, lookup: VariableLookup, escapeChar = '\\'): Expansion {
  const variables: string[] = [];
  const unresolved: string[] = [];
  const note = (list: string[], name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  let complete = true;
  const value = text.replace(REFERENCE, (match, bare: string | undefined, braced: string | undefined, operator: string | undefined, word: string | undefined) => {
    if (match === '\\$') return escapeChar === '\\' ? '$' : match;
    const name = bare ?? braced;
    if (name === undefined) {
      // `${...}` with a modifier this reader does not evaluate.
      complete = false;
      note(unresolved, match.slice(2, -1));
      return match;
    }
    note(variables, name);
    const current = lookup(name);
    switch (operator) {
      case ':-':
        return current ? current : expandWord(word ?? '');
      case '-':
        return current !== undefined ? current : expandWord(word ?? '');
      case ':+':
        return current ? expandWord(word ?? '') : '';
      case '+':
        return current !== undefined ? expandWord(word ?? '') : '';
      default:
        if (current === undefined) {
          complete = false;
          note(unresolved, name);
          return '';
        }
        return current;
    }
  });
  function expandWord(word: string): string {
    const inner = expandVariables(word, lookup, escapeChar);
    inner.variables.forEach((name) => note(variables, name));
    inner.unresolved.forEach((name) => note(unresolved, name));
    if (inner.value === undefined) complete = false;
    return inner.value ?? '';
  }
  return { value: complete ? value : undefined, variables, unresolved };
}
