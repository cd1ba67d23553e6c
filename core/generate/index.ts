/** Every generator, in the order the command palette and `podstart generate --help` list them. */
import bootstrapScript from './bootstrap-script';
import imageCache from './image-cache';
import kubeletConfig from './kubelet-config';
import prePuller from './pre-puller-daemonset';
import type { Generator } from './types';

export const GENERATORS: readonly Generator[] = [prePuller, imageCache, bootstrapScript, kubeletConfig];

export function generatorById(id: string): Generator | undefined {
  return GENERATORS.find((generator) => generator.id === id);
}

export { imageInventory } from './image-inventory';
export type * from './types';
