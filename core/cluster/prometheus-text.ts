/**
 * A reader for the Prometheus text exposition format (version 0.0.4), which the kubelet serves at
 * /metrics. Written from the format's specification (prometheus.io, "Exposition formats", text format
 * details) rather than taken from npm: the one parser there (parse-prometheus-text-format) returns
 * every value as a string and is untyped, and the format is small.
 *
 * What it follows:
 * - lines separated by `\n`; blank lines ignored; leading and trailing blanks and tabs ignored;
 * - `#` lines are comments, except `# HELP name docstring` (docstring unescaped: `\\`, `\n`) and
 *   `# TYPE name counter|gauge|histogram|summary|untyped`;
 * - samples `name[{label="value",...[,]}] value [timestamp]`, label values unescaped (`\\`, `\"`,
 *   `\n`), values as Go's ParseFloat reads them (`NaN`, `+Inf`, `-Inf` included), timestamps in ms;
 * - a histogram `x`'s samples `x_bucket{le=...}`, `x_sum`, `x_count` (a summary's `x{quantile=...}`,
 *   `x_sum`, `x_count`) belong to the family `x` declared by its TYPE line; a sample of an
 *   undeclared name is its own untyped family.
 *
 * A malformed line is skipped and reported in `errors`, never thrown: one bad line from a kubelet
 * must not hide the metrics around it.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface Sample {
  /** The sample's own name (`x_bucket`, `x_sum`...), which may differ from its family's. */
  name: string;
  labels: Record<string, string>;
  value: number;
  timestampMs?: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help?: string;
  samples: Sample[];
}

export interface ParsedMetrics {
  families: Map<string, MetricFamily>;
  errors: Array<{ line: number; message: string }>;
}

const METRIC_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** The sample names a histogram or summary family `x` writes besides `x` itself. */
const SUFFIXES: Record<string, readonly string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['_sum', '_count'] };

export function parsePrometheusText(text: string): ParsedMetrics {
  const families = new Map<string, MetricFamily>();
  const errors: ParsedMetrics['errors'] = [];
  const familyOf = (sampleName: string): MetricFamily => {
    const own = families.get(sampleName);
    if (own) return own;
    for (const [type, suffixes] of Object.entries(SUFFIXES)) {
      for (const suffix of suffixes) {
        if (!sampleName.endsWith(suffix)) continue;
        const base = families.get(sampleName.slice(0, -suffix.length));
        if (base?.type === type) return base;
      }
    }
    const created: MetricFamily = { name: sampleName, type: 'untyped', samples: [] };
    families.set(sampleName, created);
    return created;
  };
  const declare = (name: string): MetricFamily => {
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [] };
      families.set(name, family);
    }
    return family;
  };

  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/^[ \t]+|[ \t\r]+$/g, '');
    const lineNumber = index + 1;
    if (line === '') return;
    if (line.startsWith('#')) {
      const comment = line.slice(1).replace(/^[ \t]+/, '');
      const keyword = /^(HELP|TYPE)[ \t]+/.exec(comment);
      if (!keyword) return;
      const rest = comment.slice(keyword[0].length);
      const name = METRIC_NAME.exec(rest)?.[0];
      if (!name || (rest.length > name.length && !/[ \t]/.test(rest[name.length]))) {
        errors.push({ line: lineNumber, message: `# ${keyword[1]} without a metric name` });
        return;
      }
      const value = rest.slice(name.length).replace(/^[ \t]+/, '');
      if (keyword[1] === 'HELP') {
        declare(name).help = unescapeHelp(value);
      } else if (!METRIC_TYPES.has(value)) {
        errors.push({ line: lineNumber, message: `unknown metric type "${value}" for ${name}` });
      } else if (families.get(name)?.samples.length) {
        errors.push({ line: lineNumber, message: `# TYPE for ${name} after its samples` });
      } else {
        declare(name).type = value as MetricType;
      }
      return;
    }
    const sample = parseSample(line);
    if (typeof sample === 'string') {
      errors.push({ line: lineNumber, message: sample });
      return;
    }
    familyOf(sample.name).samples.push(sample);
  });
  return { families, errors };
}

/** One sample line, or what is wrong with it. */
function parseSample(line: string): Sample | string {
  const name = METRIC_NAME.exec(line)?.[0];
  if (!name) return 'a sample line must start with a metric name';
  if (!/^[ \t{]/.test(line.slice(name.length))) return `"${name}" must be followed by labels or a value`;
  let position = skipBlanks(line, name.length);
  const labels: Record<string, string> = {};
  if (line[position] === '{') {
    position = skipBlanks(line, position + 1);
    while (line[position] !== '}') {
      const label = LABEL_NAME.exec(line.slice(position))?.[0];
      if (!label) return `a label name is expected at column ${position + 1}`;
      position = skipBlanks(line, position + label.length);
      if (line[position] !== '=') return `"=" is expected after the label ${label}`;
      position = skipBlanks(line, position + 1);
      if (line[position] !== '"') return `the value of the label ${label} must be quoted`;
      const value = readQuotedValue(line, position + 1);
      if (typeof value === 'string') return value;
      if (label in labels) return `the label ${label} is given twice`;
      labels[label] = value.text;
      position = skipBlanks(line, value.end);
      if (line[position] === ',') position = skipBlanks(line, position + 1);
      else if (line[position] !== '}') return `"," or "}" is expected after the value of the label ${label}`;
    }
    position = skipBlanks(line, position + 1);
  }
  const tokens = line.slice(position).split(/[ \t]+/).filter(Boolean);
  if (tokens.length === 0) return `${name} has no value`;
  if (tokens.length > 2) return `${name} has more than a value and a timestamp`;
  const value = parseGoFloat(tokens[0]);
  if (value === undefined) return `"${tokens[0]}" is not a number`;
  const sample: Sample = { name, labels, value };
  if (tokens.length === 2) {
    if (!/^[+-]?\d+$/.test(tokens[1])) return `"${tokens[1]}" is not a timestamp in milliseconds`;
    sample.timestampMs = Number(tokens[1]);
  }
  return sample;
}

/** A quoted label value from just after its opening quote: the text unescaped and where it ends (after the closing quote). */
function readQuotedValue(line: string, start: number): { text: string; end: number } | string {
  let text = '';
  for (let position = start; position < line.length; position++) {
    const character = line[position];
    if (character === '"') return { text, end: position + 1 };
    if (character !== '\\') {
      text += character;
      continue;
    }
    const escaped = line[++position];
    if (escaped === '\\') text += '\\';
    else if (escaped === '"') text += '"';
    else if (escaped === 'n') text += '\n';
    else return `invalid escape "\\${escaped ?? ''}" in a label value`;
  }
  return 'a label value is not closed';
}

function unescapeHelp(text: string): string {
  // Only \\ and \n are escapes in HELP; any other backslash stands for itself.
  return text.replace(/\\(\\|n)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : '\\'));
}

function skipBlanks(line: string, position: number): number {
  while (line[position] === ' ' || line[position] === '\t') position++;
  return position;
}

/** A number as Go's strconv.ParseFloat reads the decimal forms the format uses: `1`, `-0.5`, `1.5e+09`, `NaN`, `+Inf`, `-Inf`. */
export function parseGoFloat(token: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(token)) return token.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^nan$/i.test(token)) return Number.NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(token)) return undefined;
  return Number(token);
}
