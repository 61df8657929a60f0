/**
 * The builder's progress output → `{ percent, message }` for a VS Code progress notification.
 * Formats (osbuild/image-builder-cli pkg/progress, which bootc-image-builder uses):
 *
 * - `--progress=debug`: `[done / total] message` per level (level n indented by 2n spaces;
 *   level 0 counts osbuild's pipelines, level 1 the stages of the current one), `pulse: …`
 *   (the current step), `msg: …` (the last stage message), `Start progressbar`/`Stop progressbar`.
 * - `--progress=term`: the same bars redrawn with ANSI codes: `[|] step`, `[done+1 / total+1]
 *   message [bar] NN %` per level in order, `Message: …`.
 * - `--progress=verbose`: the step messages as plain lines and osbuild's own output
 *   (`Pipeline build: <id>`, `org.osbuild.rpm: <id> {`); no percentage.
 *
 * No `vscode` import.
 */

export interface BuilderProgress {
  /** 0–100, never lower than an earlier report of the same parser. */
  percent?: number;
  /** What the builder does now, for the notification's text. */
  message?: string;
}

/** The step messages bootc-image-builder prints itself (main.go), recognised in every format. */
const STEP_MESSAGES = [/^Manifest generation step$/, /^Disk image building step$/, /^Generating manifest \S+$/, /^Done generating manifest$/, /^Building \S+$/, /^Build complete!$/, /^Results saved in \S+/, /^Uploading \S+/];

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Turns builder output lines into progress; one parser per build (it remembers the levels). */
export class BuilderProgressParser {
  private readonly levels: { done: number; total: number; message: string }[] = [];
  /** In the term format, the index of the next bar line after a spinner line. */
  private termLevel = 0;
  /** The highest percentage reported so far; undefined until the first. */
  private best: number | undefined;

  /** The progress a line reports, or undefined when it reports none (ordinary output). */
  feed(rawLine: string): BuilderProgress | undefined {
    // A redrawn terminal line: keep what was drawn last.
    const line = rawLine.replace(ANSI, '').split('\r').filter((part) => part.trim() !== '').pop()?.trimEnd() ?? '';
    if (line.trim() === '' || line === 'Start progressbar' || line === 'Stop progressbar') return undefined;

    const debug = /^( *)\[(\d+) \/ (\d+)\] (.*)$/.exec(line);
    if (debug) {
      const level = Math.floor(debug[1].length / 2);
      const bar = /^(.*?)\s+\S*\s+(\d+(?:\.\d+)?) ?%$/.exec(debug[4]);
      if (bar) {
        // The term format: counters are done+1 / total+1, and the levels come in order after the spinner.
        return this.setLevel(this.termLevel++, Number(debug[2]) - 1, Number(debug[3]) - 1, bar[1].trim());
      }
      return this.setLevel(level, Number(debug[2]), Number(debug[3]), debug[4].trim());
    }

    const spinner = /^\[[|/\\-]\] (.*)$/.exec(line);
    if (spinner) {
      this.termLevel = 0;
      return this.message(spinner[1]);
    }
    const labelled = /^(?:pulse|msg|Message): ?(.*)$/.exec(line);
    if (labelled) return labelled[1].trim() === '' ? undefined : this.message(labelled[1]);

    if (STEP_MESSAGES.some((pattern) => pattern.test(line.trim()))) return this.message(line.trim());
    // osbuild's own output in the verbose format.
    const pipeline = /^Pipeline (\S+): [0-9a-f]{64}$/.exec(line.trim());
    if (pipeline) return this.message(`Pipeline ${pipeline[1]}`);
    const stage = /^(org\.osbuild\.[\w.-]+): [0-9a-f]{64} \{$/.exec(line.trim());
    if (stage) return this.message(`Stage ${stage[1]}`);
    return undefined;
  }

  private message(text: string): BuilderProgress {
    const message = text.trim();
    if (/^Build complete!$/.test(message)) this.best = 100;
    return this.best !== undefined ? { percent: this.best, message } : { message };
  }

  private setLevel(level: number, done: number, total: number, message: string): BuilderProgress {
    if (level > this.levels.length) level = this.levels.length;
    this.levels[level] = { done: Math.max(0, done), total: Math.max(0, total), message };
    // A new value at one level starts its sub-levels afresh.
    this.levels.length = level + 1;
    // Each level's share: done/total of its parent's current step.
    let percent = 0;
    let share = 100;
    for (const { done: d, total: t } of this.levels) {
      if (t <= 0) break;
      percent += (share * Math.min(d, t)) / t;
      share /= t;
    }
    this.best = Math.max(this.best ?? 0, Math.min(100, Math.round(percent * 10) / 10));
    return { percent: this.best, message: message || undefined };
  }
}
