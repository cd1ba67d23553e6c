/**
 * The rule catalog. Each rule lives in its own file, named by its id; adding a rule means adding
 * its file, its doc page (docs/rules/<id>.md) and its fixtures (test/rules/<id>.test.ts).
 * Manifest rules and Dockerfile rules (`meta.target: 'dockerfile'`, ids `dockerfile-*`) share
 * this one list; the engine gives each file only the rules of its kind.
 */
import type { Rule } from '../core/rule';
import mutableImageTag from './mutable-image-tag';
import pullAlwaysImmutableImage from './pull-always-immutable-image';
import dockerfileMutableBaseImage from './dockerfile-mutable-base-image';
import dockerfileFatBaseImage from './dockerfile-fat-base-image';
import dockerfilePackageCache from './dockerfile-package-cache';
import dockerfileInstallRecommends from './dockerfile-install-recommends';
import dockerfileDebugTools from './dockerfile-debug-tools';
import dockerfileBuildToolsInFinalImage from './dockerfile-build-tools-in-final-image';
import dockerfileConsecutiveRuns from './dockerfile-consecutive-runs';
import dockerfileMissingDockerignore from './dockerfile-missing-dockerignore';
import dockerfileAddRemoteArchive from './dockerfile-add-remote-archive';
import cpuLimitThrottlesStartup from './cpu-limit-throttles-startup';
import initContainerOnlyWaits from './init-container-only-waits';
import initWorkBelongsInImage from './init-work-belongs-in-image';
import recursiveVolumeOwnershipChange from './recursive-volume-ownership-change';
import missingStartupProbe from './missing-startup-probe';
import readinessDelayWithStartupProbe from './readiness-delay-with-startup-probe';
import extendedResourceRequestRejected from './extended-resource-request-rejected';
import resourceClaimRejected from './resource-claim-rejected';
import resourceClaimReferenceUnresolved from './resource-claim-reference-unresolved';
import initContainerHoldsAccelerators from './init-container-holds-accelerators';
import acceleratorJobWithoutGangScheduling from './accelerator-job-without-gang-scheduling';
import acceleratorDevelImage from './accelerator-devel-image';
import modelDownloadAtStartup from './model-download-at-startup';
import largeImage from './large-image';
import dockerfileLargeBaseImage from './dockerfile-large-base-image';
import kubeletConfigInvalid from './kubelet-config-invalid';
import kubeletSerialImagePulls from './kubelet-serial-image-pulls';
import kubeletParallelPullsWhileSerial from './kubelet-parallel-pulls-while-serial';
import kubeletApiQpsLow from './kubelet-api-qps-low';
import kubeletRegistryPullQpsLow from './kubelet-registry-pull-qps-low';
import kubeletImageGcEvictsPrepulled from './kubelet-image-gc-evicts-prepulled';
import kubeletEventedPleg from './kubelet-evented-pleg';
import kubeletMemoryThrottlingFactor from './kubelet-memory-throttling-factor';
import kubeletCpuManagerStatic from './kubelet-cpu-manager-static';

export const ALL_RULES: readonly Rule<any>[] = [
  mutableImageTag,
  pullAlwaysImmutableImage,
  dockerfileMutableBaseImage,
  dockerfileFatBaseImage,
  dockerfilePackageCache,
  dockerfileInstallRecommends,
  dockerfileDebugTools,
  dockerfileBuildToolsInFinalImage,
  dockerfileConsecutiveRuns,
  dockerfileMissingDockerignore,
  dockerfileAddRemoteArchive,
  cpuLimitThrottlesStartup,
  initContainerOnlyWaits,
  initWorkBelongsInImage,
  recursiveVolumeOwnershipChange,
  missingStartupProbe,
  readinessDelayWithStartupProbe,
  extendedResourceRequestRejected,
  resourceClaimRejected,
  resourceClaimReferenceUnresolved,
  initContainerHoldsAccelerators,
  acceleratorJobWithoutGangScheduling,
  acceleratorDevelImage,
  modelDownloadAtStartup,
  largeImage,
  dockerfileLargeBaseImage,
  kubeletConfigInvalid,
  kubeletSerialImagePulls,
  kubeletParallelPullsWhileSerial,
  kubeletApiQpsLow,
  kubeletRegistryPullQpsLow,
  kubeletImageGcEvictsPrepulled,
  kubeletEventedPleg,
  kubeletMemoryThrottlingFactor,
  kubeletCpuManagerStatic,
];

export function findRule(id: string): Rule<any> | undefined {
  return ALL_RULES.find((rule) => rule.meta.id === id);
}
