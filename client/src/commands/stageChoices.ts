/**
 * The items of the "stage to build" pick of Build Image and Build for Multiple Architectures:
 * the final stage first (no `--target`), then every earlier named stage. No `vscode` import.
 */
import type { BuildInputs } from '../../../server/src/lsp/protocol';

export interface StageChoice {
  label: string;
  description: string;
  /** `--target`; undefined for the final stage. */
  target?: string;
}

/** No pick (empty) when the Containerfile has a single stage. */
export function stageChoices(stages: BuildInputs['stages']): StageChoice[] {
  if (stages.length < 2) return [];
  const finalStage = stages[stages.length - 1];
  return [
    { label: 'Final stage', description: finalStage.name ?? finalStage.baseImage },
    ...stages.slice(0, -1).flatMap((stage) => (stage.name ? [{ label: stage.name, description: `FROM ${stage.baseImage} (line ${stage.line + 1})`, target: stage.name }] : [])),
  ];
}
