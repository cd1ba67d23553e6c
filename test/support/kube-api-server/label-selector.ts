/**
 * Label selectors as kube-apiserver parses and matches them (k8s.io/apimachinery labels.Parse):
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`, joined by commas
 * (all must hold). `!=` and `notin` also match objects without the label, as in Kubernetes.
 * A selector that does not parse is a 400 BadRequest; the messages follow the parser's wording
 * closely, not byte for byte.
 */

type Operator = 'exists' | 'doesNotExist' | 'equals' | 'notEquals' | 'in' | 'notIn' | 'greaterThan' | 'lessThan';

export interface LabelRequirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class SelectorParseError extends Error {}

const SPECIAL = new Set(['!', '=', '>', '<', ',', '(', ')']);
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Token = { kind: 'identifier' | 'operator' | 'end'; text: string };

function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < selector.length) {
    const character = selector[index];
    if (/\s/.test(character)) {
      index += 1;
    } else if (SPECIAL.has(character)) {
      const pair = selector.slice(index, index + 2);
      if (pair === '==' || pair === '!=') {
        tokens.push({ kind: 'operator', text: pair });
        index += 2;
      } else {
        tokens.push({ kind: 'operator', text: character });
        index += 1;
      }
    } else {
      let end = index;
      while (end < selector.length && !SPECIAL.has(selector[end]) && !/\s/.test(selector[end])) end += 1;
      tokens.push({ kind: 'identifier', text: selector.slice(index, end) });
      index = end;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

function validateKey(key: string): void {
  const slash = key.lastIndexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new SelectorParseError(`unable to parse requirement: Invalid value: ${JSON.stringify(key)}: prefix part must be a lowercase RFC 1123 subdomain`);
  }
  if (name.length === 0 || name.length > 63 || !NAME_PART.test(name)) {
    throw new SelectorParseError(
      `unable to parse requirement: Invalid value: ${JSON.stringify(key)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function validateValue(value: string): void {
  if (value.length > 63 || (value.length > 0 && !NAME_PART.test(value))) {
    throw new SelectorParseError(
      `unable to parse requirement: Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Parses a label selector; the empty selector selects everything. Throws SelectorParseError. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const tokens = tokenize(selector);
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];
  const unexpected = (token: Token, expected: string): never => {
    throw new SelectorParseError(`unable to parse requirement: found '${token.text}', expected: ${expected}`);
  };

  const requirements: LabelRequirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    let token = next();
    if (token.kind === 'operator' && token.text === '!') {
      const key = next();
      if (key.kind !== 'identifier') unexpected(key, 'identifier');
      validateKey(key.text);
      requirements.push({ key: key.text, operator: 'doesNotExist', values: [] });
    } else {
      if (token.kind !== 'identifier') unexpected(token, "'!', identifier");
      const key = token.text;
      validateKey(key);
      token = peek();
      if (token.kind === 'end' || (token.kind === 'operator' && token.text === ',')) {
        requirements.push({ key, operator: 'exists', values: [] });
      } else if (token.kind === 'identifier' && (token.text === 'in' || token.text === 'notin')) {
        next();
        const open = next();
        if (open.text !== '(') unexpected(open, "'('");
        const values: string[] = [];
        for (;;) {
          const value = peek();
          if (value.kind === 'identifier') {
            validateValue(value.text);
            values.push(value.text);
            next();
          } else if (value.text === ',' || value.text === ')') {
            // An empty value between commas or parentheses is the empty string.
            values.push('');
          } else {
            unexpected(value, "',', ')' or identifier");
          }
          const separator = next();
          if (separator.text === ')') break;
          if (separator.text !== ',') unexpected(separator, "',' or ')'");
        }
        requirements.push({ key, operator: token.text === 'in' ? 'in' : 'notIn', values: [...new Set(values)] });
      } else if (token.kind === 'operator' && ['=', '==', '!=', '>', '<'].includes(token.text)) {
        next();
        const valueToken = peek();
        let value = '';
        if (valueToken.kind === 'identifier') {
          value = valueToken.text;
          next();
        } else if (!(valueToken.kind === 'end' || valueToken.text === ',')) {
          unexpected(valueToken, 'identifier');
        }
        if (token.text === '>' || token.text === '<') {
          if (!/^-?\d+$/.test(value)) throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
          requirements.push({ key, operator: token.text === '>' ? 'greaterThan' : 'lessThan', values: [value] });
        } else {
          validateValue(value);
          requirements.push({ key, operator: token.text === '!=' ? 'notEquals' : 'equals', values: [value] });
        }
      } else {
        unexpected(token, "'=', '!=', '==', 'in', 'notin', '>', '<', ',' or end");
      }
    }
    const separator = next();
    if (separator.kind === 'end') break;
    if (separator.text !== ',') unexpected(separator, "','");
  }
  return requirements;
}

export function labelsMatch(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const present = labels ?? {};
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(present, key);
    const value = present[key];
    switch (operator) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case 'equals':
      case 'in':
        return has && values.includes(value);
      case 'notEquals':
      case 'notIn':
        return !has || !values.includes(value);
      case 'greaterThan':
      case 'lessThan': {
        if (!has || !/^-?\d+$/.test(value)) return false;
        const actual = Number(value);
        const bound = Number(values[0]);
        return operator === 'greaterThan' ? actual > bound : actual < bound;
      }
    }
  });
}
