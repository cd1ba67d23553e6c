/**
 * The rule catalog. Each rule lives in its own file, named by its id; adding a rule means adding
 * its file, its doc page (docs/rules/<id>.md) and its fixtures (test/rules/<id>.test.ts).
 */
import type { Rule } from '../core/rule';
import mutableImageTag from './mutable-image-tag';
import pullAlwaysImmutableImage from './pull-always-immutable-image';
import cpuLimitThrottlesStartup from './cpu-limit-throttles-startup';
import initContainerOnlyWaits from './init-container-only-waits';
import initWorkBelongsInImage from './init-work-belongs-in-image';
import recursiveVolumeOwnershipChange from './recursive-volume-ownership-change';
import missingStartupProbe from './missing-startup-probe';
import readinessDelayWithStartupProbe from './readiness-delay-with-startup-probe';

export const ALL_RULES: readonly Rule<any>[] = [
  mutableImageTag,
  pullAlwaysImmutableImage,
  cpuLimitThrottlesStartup,
  initContainerOnlyWaits,
  initWorkBelongsInImage,
  recursiveVolumeOwnershipChange,
  missingStartupProbe,
  readinessDelayWithStartupProbe,
];

export function findRule(id: string): Rule<any> | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
