/**
 * The stages whose instructions put files into the image a pod pulls: the final stage and the
 * stages it is built FROM (`BuildStage.inFinalImage`), less a last stage named for development
 * (`FROM app AS dev-envs`), whose additions only a development environment gets. Rules about what
 * the image carries (caches, tools, layers) read these stages; builder stages can carry anything.
 */
import { isDevelopmentStage } from './development-files';
import type { BuildStage, DockerfileModel } from './model';

export function shippedStages(model: DockerfileModel): BuildStage[] {
  return model.stages.filter((stage) => stage.inFinalImage && !(stage.isFinal && model.stages.length > 1 && isDevelopmentStage(stage.name)));
}
