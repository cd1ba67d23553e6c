/**
 * Field selectors as kube-apiserver parses them (k8s.io/apimachinery fields.ParseSelector):
 * `label=value`, `label==value` or `label!=value`, joined by commas, with `\,` `\=` `\\` escapes in
 * values. Each label must be one the resource type supports, or the request is a 400 BadRequest
 * `field label not supported: <label>`, exactly as the field-label conversion functions answer.
 */
import { SelectorParseError } from './label-selector';
import { resolveFieldLabel, type KubeObject, type ResourceType } from './resources';

export interface FieldRequirement {
  /** The label as the request wrote it (used in authorization and messages). */
  label: string;
  /** The stored form's label it stands for. */
  storedLabel: string;
  operator: 'equals' | 'notEquals';
  value: string;
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let index = 0; index < selector.length; index += 1) {
    const character = selector[index];
    if (character === '\\' && index + 1 < selector.length) {
      current += character + selector[index + 1];
      index += 1;
    } else if (character === ',') {
      terms.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  terms.push(current);
  return terms;
}

function unescapeValue(value: string, term: string): string {
  let result = '';
  for (let index = 0; index < value.length; index += 1) {
    const character = value[index];
    if (character === '\\') {
      const escaped = value[index + 1];
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') throw new SelectorParseError(`invalid field selector: '${term}': invalid escape sequence`);
      result += escaped;
      index += 1;
    } else if (character === ',' || character === '=') {
      throw new SelectorParseError(`invalid field selector: '${term}': unescaped ${character}`);
    } else {
      result += character;
    }
  }
  return result;
}

/** Parses `selector` for resources of `type`; the empty selector selects everything. */
export function parseFieldSelector(selector: string, type: ResourceType): FieldRequirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map((term) => {
    const match = /^([^=!]*?)(!=|==|=)(.*)$/s.exec(term);
    if (!match) throw new SelectorParseError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const label = match[1].trim();
    const storedLabel = resolveFieldLabel(type, label);
    if (storedLabel === undefined) throw new SelectorParseError(`field label not supported: ${label}`);
    return { label, storedLabel, operator: match[2] === '!=' ? 'notEquals' : 'equals', value: unescapeValue(match[3], term) };
  });
}

export function fieldsMatch(requirements: FieldRequirement[], type: ResourceType, stored: KubeObject): boolean {
  if (requirements.length === 0) return true;
  const fields = type.selectableFields(stored);
  return requirements.every(({ storedLabel, operator, value }) => (fields[storedLabel] === value) === (operator === 'equals'));
}

/** The name a selector pins (`metadata.name=x`), which kube-apiserver authorizes list and watch with. */
export function exactName(requirements: FieldRequirement[]): string | undefined {
  const pinned = requirements.filter((requirement) => requirement.storedLabel === 'metadata.name' && requirement.operator === 'equals');
  return pinned.length === 1 ? pinned[0].value : undefined;
}
