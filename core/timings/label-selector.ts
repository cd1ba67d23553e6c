/**
 * Label selector matching as the API server does it (apimachinery labels.Selector): every matchLabels
 * pair and every matchExpressions requirement must hold. An empty selector `{}` matches every object; a
 * missing one matches none. The older map form (`spec.selector: {app: web}` of a ReplicationController)
 * is read as matchLabels.
 */
import type { LabelSelector } from './kube-objects';

function isStructured(selector: LabelSelector | Record<string, string>): selector is LabelSelector {
  return 'matchLabels' in selector || 'matchExpressions' in selector;
}

export function toLabelSelector(selector: LabelSelector | Record<string, string> | null | undefined): LabelSelector | undefined {
  if (!selector) return undefined;
  if (isStructured(selector) || Object.keys(selector).length === 0) return selector as LabelSelector;
  return { matchLabels: selector as Record<string, string> };
}

export function matchesSelector(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const requirement of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!present || !values.includes(have[requirement.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[requirement.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
