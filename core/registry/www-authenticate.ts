/**
 * Reading `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="https://auth.docker.io/token",
 * service="registry.docker.io",scope="repository:library/nginx:pull"` or `Basic realm="Registry"`.
 * A header may carry several challenges, and parameters may be quoted (with backslash escapes) or
 * bare tokens.
 */
export interface AuthChallenge {
  /** Lowercased: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names lowercased: `realm`, `service`, `scope`, `error`. */
  params: Record<string, string>;
}

export function parseAuthChallenges(headerValues: readonly string[]): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const value of headerValues) {
    let position = 0;
    let current: AuthChallenge | undefined;
    const skip = (pattern: RegExp) => {
      pattern.lastIndex = position;
      const match = pattern.exec(value);
      if (match) position += match[0].length;
      return match;
    };
    while (position < value.length) {
      skip(/[\s,]*/y);
      if (position >= value.length) break;
      const token = skip(/[!#$%&'*+.^_`|~0-9A-Za-z-]+/y);
      if (!token) break; // Not a token where one must be: stop rather than guess.
      const afterToken = position;
      skip(/\s*/y);
      if (value[position] === '=' && current) {
        position++;
        skip(/\s*/y);
        let parameter: string;
        if (value[position] === '"') {
          const quoted = skip(/"((?:[^"\\]|\\.)*)"/y);
          if (!quoted) break;
          parameter = quoted[1]!.replace(/\\(.)/g, '$1');
        } else {
          parameter = skip(/[^\s,]*/y)![0];
        }
        current.params[token[0].toLowerCase()] = parameter;
      } else {
        // A token not followed by `=` starts a new challenge (token68 forms are not used by registries).
        position = afterToken;
        current = { scheme: token[0].toLowerCase(), params: {} };
        challenges.push(current);
      }
    }
  }
  return challenges;
}
