import type { Containerfile, Stage } from './model/containerfile';
import type { LintConfig } from './types';
import { isKnownBootcImage, matchesImagePatterns } from './images';
import { runsBootcContainerLint } from './analysis/commands';

export interface Detection {
  enabled: boolean;
  reason: string;
  /** The final stage's base is a known bootc image (catalog point 1). */
  knownBootcBase: boolean;
}

/** The image the final stage ultimately starts from, following `FROM <stage>` chains. */
export function rootBaseImage(file: Containerfile): string | undefined {
  return file.shippedStages[0]?.baseImage;
}

const BOOTC_LABELS = new Set(['containers.bootc', 'ostree.bootable']);

function hasBootcLabel(stage: Stage): boolean {
  return stage.instructions.some(
    (i) =>
      i.keyword === 'LABEL' &&
      (i.ast as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null }> })
        .getProperties()
        .some((p) => BOOTC_LABELS.has(p.getName().replace(/^["']|["']$/g, '')) && /^["']?(1|true)["']?$/i.test(p.getValue() ?? '')),
  );
}

/** Decides whether bootc rules apply (catalog: "When rules apply"). */
export function detectBootc(file: Containerfile, config: LintConfig = {}): Detection {
  const base = rootBaseImage(file);
  const knownBootcBase = base !== undefined && isKnownBootcImage(base);
  const detection = (enabled: boolean, reason: string): Detection => ({ enabled, reason, knownBootcBase });

  const directive = [...file.comments].reverse().find((c) => /^bootc-lint:\s*(enable|disable)\s*$/i.test(c.text));
  if (config.mode === 'never') return detection(false, 'mode is "never"');
  if (directive && /disable/i.test(directive.text)) return detection(false, '`# bootc-lint: disable` comment');
  if (config.mode === 'always') return detection(true, 'mode is "always"');
  if (directive) return detection(true, '`# bootc-lint: enable` comment');
  if (!file.finalStage) return detection(false, 'no FROM instruction');
  if (knownBootcBase) return detection(true, `base image ${base} is a bootc image`);
  if (file.shippedStages.some(hasBootcLabel)) return detection(true, 'final stage has a containers.bootc / ostree.bootable label');
  if (file.shippedInstructions.some((i) => i.run?.script.commands.some(runsBootcContainerLint)))
    return detection(true, 'final stage runs `bootc container lint`');
  if (base && config.bootcImages?.length && matchesImagePatterns(base, config.bootcImages))
    return detection(true, `base image ${base} matches the configured bootc images`);
  return detection(false, 'not a bootc build (base image, labels and comments do not say so)');
}
