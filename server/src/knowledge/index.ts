/**
 * bootc knowledge behind hover and completion: pure data and text, no editor or model imports.
 */
export { BOOTC_DOCS_ROOT, DOCS, dockerfileReference, docsLink } from './docs';
export { DESCRIBED_INSTRUCTIONS, describeInstruction, instructionKnowledge, type InstructionKnowledge } from './instructions';
export { BOOTC_DIRECTORIES, COMPLETION_DIRECTORIES, describePath, normalizePath, treeLifecycle, wellKnownDirectory, type BootcDirectory, type TreeLifecycle } from './paths';
export {
  BASE_IMAGES,
  describeBaseImage,
  findBaseImage,
  parseImageReference,
  type BaseImage,
  type ImageDistro,
  type ImageReference,
  type ImageTag,
} from './images';
