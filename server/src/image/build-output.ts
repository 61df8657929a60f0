/**
 * Reads the output of `podman build` (buildah's imagebuildah) — and, as a courtesy, of docker
 * BuildKit and the legacy docker builder — to list the steps that ran and to say which step
 * failed, with the builder's error and what that step printed last. Pure: no `vscode`, no I/O.
 *
 * Formats (measured on podman 4.3.1; buildah imagebuildah/executor.go and stage_executor.go):
 * - `[2/3] STEP 4/7: RUN …` when the Containerfile has several stages (stage = position among
 *   all FROMs, even when buildah skips an unused stage), `STEP 2/4: …` with one stage, and the
 *   old single counter `STEP 4: …`; `[linux/arm64] ` leads every line of a multi-platform build.
 * - Stages built in parallel (`--jobs`) interleave their output; RUN output is not prefixed.
 * - Failures on stderr: `Error: building at STEP "RUN …": while running runtime: exit status 1`
 *   (older podman: `Error: error building at STEP … error while running runtime …`),
 *   `Error: creating build container: …` (the FROM image), `Error: no FROM statement found`,
 *   `Error: parsing main Dockerfile: …`.
 * - BuildKit: `#8 [2/3] RUN …`, `#8 0.123 output`, `ERROR: failed to solve: …`, `Dockerfile:5`.
 */

/** One instruction the builder announced. */
export interface BuildStep {
  /** 1-based position of the stage among the Containerfile's FROMs; 0 when the builder does not say. */
  stage: number;
  /** How many stages the builder counts (0 when it does not say). */
  stageCount: number;
  /** 1-based position of the step in its stage; the FROM is step 1 (0 when unknown). */
  step: number;
  /** How many steps the stage has, FROM included (0 when the builder does not say). */
  stepCount: number;
  /** The instruction as the builder printed it (continuation lines already joined). */
  instruction: string;
  /** The platform prefix of a multi-platform build (`linux/arm64`), when there is one. */
  platform?: string;
}

/** The step a build failed at, and why. */
export interface BuildFailure extends BuildStep {
  /** For people: the builder's error text, then the failing step's last output lines. */
  message: string;
  /** The builder's error line without its `Error: ` (or BuildKit `ERROR: `) lead. */
  error: string;
  /** The last {@link FAILURE_OUTPUT_LINES} lines the failing step printed (builder noise left out). */
  output: string[];
  /** 1-based line of the Containerfile, when the builder names one (BuildKit `Dockerfile:5`, `line 5`). */
  line?: number;
}

export interface BuildOutput {
  /** Every step announced, in the order the builder printed them. */
  steps: BuildStep[];
  /** Present when the builder reported an error. */
  failure?: BuildFailure;
}

/** How many output lines of the failing step are kept. */
export const FAILURE_OUTPUT_LINES = 20;

/**
 * Canonical text of an instruction, to compare what the builder printed with the Containerfile
 * or with the builder's error: backslash-newline continuations removed, runs of whitespace
 * collapsed to one space, the keyword upper-cased, a JSON array form (`["a", "b"]`) spelled as
 * buildah's messages spell it (`a b`).
 */
export function normalizeInstruction(text: string): string {
  const joined = text
    .replace(/\\[ \t]*\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const keyword = /^(\S+)(.*)$/.exec(joined);
  if (!keyword) return '';
  let rest = keyword[2].trim();
  // Flags stay as they are (`--mount=…`); only the argument part may be a JSON array.
  const flags: string[] = [];
  while (/^--\S/.test(rest)) {
    const space = rest.indexOf(' ');
    flags.push(space < 0 ? rest : rest.slice(0, space));
    rest = space < 0 ? '' : rest.slice(space + 1);
  }
  if (rest.startsWith('[') && rest.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) rest = parsed.join(' ').replace(/\s+/g, ' ').trim();
    } catch {
      // Not JSON: buildah runs it as a shell command, spelled as written.
    }
  }
  return [keyword[1].toUpperCase(), ...flags, rest].filter((part) => part !== '').join(' ');
}

/** Parses the build's output lines (stdout and stderr merged in the order they arrived). */
export function parseBuildOutput(lines: readonly string[]): BuildOutput {
  const cleaned = lines.map((line) => stripAnsi(line).replace(/\r$/, ''));
  return cleaned.some((line) => BUILDKIT_STEP.test(line)) ? parseBuildKit(cleaned) : parseBuildah(cleaned);
}

// ---------------------------------------------------------------------------------------------
// buildah / podman (and the legacy docker builder, which numbers steps the same simple way)

/** `[linux/arm64] [2/3] STEP 4/7: RUN …`; the platform part is anything but `N/M`. */
const BUILDAH_STEP = /^(?:\[(?!\d+\/\d+\])([^\]]+)\] )?(?:\[(\d+)\/(\d+)\] )?STEP (\d+)(?:\/(\d+))?: (.*)$/;
/** Legacy docker builder: `Step 2/5 : RUN …`. */
const DOCKER_LEGACY_STEP = /^Step (\d+)(?:\/(\d+))? : (.*)$/;
/** A line the builder printed about itself, not output of a step. */
const BUILDER_NOISE = [
  /^(?:\[[^\]]+\] )*(?:--> |COMMIT\b)/,
  /^(?:\[[^\]]+\] )*(?:Getting image source signatures|Copying blob |Copying config |Writing manifest|Storing signatures|Successfully tagged |Successfully built |Trying to pull |Resolving ")/,
  /^time="[^"]*" level=/,
  /^(?:WARN|ERRO|INFO|DEBU|FATA)\[\d+\] /,
  /^\[Warning\] /,
  /^[0-9a-f]{64}$/, // the image id podman prints last
  /^ ---> /, // legacy docker builder
  /^Removing intermediate container /,
  /^Sending build context to /,
];
const ERROR_LINE = /^(?:\[[^\]]+\] )?Error: (.*)$/;
/** The builder went on after an `Error: ` line: it was a step's output, not the builder's error. */
const BUILD_WENT_ON = /^(?:\[[^\]]+\] )*(?:--> |COMMIT\b|Successfully tagged |[0-9a-f]{64}$)/;
const DOCKER_LEGACY_ERROR = /^The command '.*' returned a non-zero code: \d+$/;

interface AnnouncedStep {
  step: BuildStep;
  /** Index of the announcing line. */
  index: number;
}

function parseBuildah(lines: readonly string[]): BuildOutput {
  const announced: AnnouncedStep[] = [];
  // The old single counter (`STEP 4: …`) and the legacy docker builder count across stages: derive the stage from FROMs.
  const singleCounter = { stage: 0, firstStepOfStage: 1 };
  // podman prints its error last, after every stage ended; an earlier `Error: ` line is a
  // step's own output (dnf prints `Error: Unable to find a match`) when the build went on.
  let errorIndex = -1;
  lines.forEach((line, index) => {
    const step = readBuildahStep(line, singleCounter);
    if (step) {
      announced.push({ step, index });
      errorIndex = -1;
    } else if (isBuilderError(line) || DOCKER_LEGACY_ERROR.test(line)) {
      errorIndex = index;
    } else if (errorIndex >= 0 && BUILD_WENT_ON.test(line)) {
      errorIndex = -1;
    }
  });
  const steps = announced.map((entry) => entry.step);
  if (errorIndex < 0) return { steps };

  const errorLine = lines[errorIndex];
  const error = DOCKER_LEGACY_ERROR.test(errorLine) ? errorLine : (ERROR_LINE.exec(errorLine)?.[1] ?? errorLine).trim();
  const before = announced.filter((entry) => entry.index < errorIndex);
  const failing = failingStep(error, before);
  const output = failing ? stepOutput(lines, failing.index + 1, errorIndex) : [];
  const failure: BuildFailure = {
    ...(failing?.step ?? { stage: 0, stageCount: 0, step: 0, stepCount: 0, instruction: '' }),
    message: composeMessage(conciseError(error), output),
    error,
    output,
  };
  const line = namedLine(lines.slice(errorIndex), error);
  if (line !== undefined) failure.line = line;
  return { steps, failure };
}

function readBuildahStep(line: string, counter: { stage: number; firstStepOfStage: number }): BuildStep | undefined {
  const buildah = BUILDAH_STEP.exec(line);
  if (buildah) {
    const [, platform, stage, stageCount, step, stepCount, instruction] = buildah;
    if (stage !== undefined) return withPlatform({ stage: Number(stage), stageCount: Number(stageCount), step: Number(step), stepCount: stepCount ? Number(stepCount) : 0, instruction }, platform);
    if (stepCount !== undefined) return withPlatform({ stage: 1, stageCount: 1, step: Number(step), stepCount: Number(stepCount), instruction }, platform);
    return withPlatform(countAcrossStages(counter, Number(step), instruction), platform);
  }
  const legacy = DOCKER_LEGACY_STEP.exec(line);
  if (legacy) return countAcrossStages(counter, Number(legacy[1]), legacy[3]);
  return undefined;
}

/** `STEP 4: RUN …` counts every step of the build: a FROM starts the next stage. */
function countAcrossStages(counter: { stage: number; firstStepOfStage: number }, globalStep: number, instruction: string): BuildStep {
  if (/^FROM\b/i.test(instruction) || counter.stage === 0) {
    counter.stage += 1;
    counter.firstStepOfStage = globalStep;
  }
  return { stage: counter.stage, stageCount: 0, step: globalStep - counter.firstStepOfStage + 1, stepCount: 0, instruction };
}

function withPlatform(step: BuildStep, platform: string | undefined): BuildStep {
  return platform ? { ...step, platform } : step;
}

function isBuilderError(line: string): boolean {
  // `Error: …` from podman; `error building at STEP` alone from very old buildah.
  return /^(?:\[[^\]]+\] )?Error: /.test(line) || /^error (?:building at STEP|creating build container)/.test(line);
}

/**
 * The step the error is about: the one named in `building at STEP "…"` (the latest such,
 * stages may repeat an instruction), the latest FROM for `creating build container`, else the
 * latest step announced.
 */
function failingStep(error: string, announced: readonly AnnouncedStep[]): AnnouncedStep | undefined {
  const named = namedInstructions(error);
  if (named.length > 0) {
    const latestFirst = [...announced].reverse();
    for (const candidate of named) {
      const wanted = normalizeInstruction(candidate);
      const exact = latestFirst.find((entry) => normalizeInstruction(entry.step.instruction) === wanted);
      if (exact) return exact;
    }
    for (const candidate of named) {
      // buildah's message drops what it could not parse (`FOO bar` → `FOO `): compare the start.
      const wanted = normalizeInstruction(candidate);
      if (!wanted) continue;
      const prefix = latestFirst.find((entry) => startsWithWords(normalizeInstruction(entry.step.instruction), wanted));
      if (prefix) return prefix;
    }
    const keyword = normalizeInstruction(named[0]).split(' ')[0];
    const sameKeyword = latestFirst.find((entry) => normalizeInstruction(entry.step.instruction).split(' ')[0] === keyword);
    if (sameKeyword) return sameKeyword;
  }
  if (/creating build container/.test(error)) {
    const from = [...announced].reverse().find((entry) => /^FROM\b/i.test(entry.step.instruction));
    if (from) return from;
  }
  return announced.at(-1);
}

/**
 * The instructions `building at STEP "…": …` may name, shortest first: the instruction itself
 * may contain `": `, so every `": ` after the opening quote is a candidate end.
 */
function namedInstructions(error: string): string[] {
  const start = /building at STEP "/.exec(error);
  if (!start) return [];
  const from = start.index + start[0].length;
  const candidates: string[] = [];
  for (let end = error.indexOf('": ', from); end >= 0; end = error.indexOf('": ', end + 1)) candidates.push(error.slice(from, end));
  if (error.endsWith('"')) candidates.push(error.slice(from, -1));
  return candidates;
}

function startsWithWords(text: string, prefix: string): boolean {
  return text === prefix || text.startsWith(`${prefix} `);
}

/** Lines a step printed between `from` (inclusive) and `to` (exclusive), without builder noise and other steps' announcements. */
function stepOutput(lines: readonly string[], from: number, to: number): string[] {
  const output: string[] = [];
  for (let index = from; index < to; index++) {
    const line = lines[index];
    if (BUILDAH_STEP.test(line) || DOCKER_LEGACY_STEP.test(line)) continue;
    if (BUILDER_NOISE.some((noise) => noise.test(line))) continue;
    output.push(line);
  }
  return trimBlankEnds(output).slice(-FAILURE_OUTPUT_LINES);
}

/** The error for people: buildah's Go struct dump (`&imagebuilder.Step{…}`) left out. */
function conciseError(error: string): string {
  return error.replace(/\s*&imagebuilder\.Step\{.*$/, '').trim();
}

function composeMessage(error: string, output: readonly string[]): string {
  return output.length > 0 ? `${error}\n${output.join('\n')}` : error;
}

/**
 * A Containerfile line the builder names: BuildKit's `Dockerfile:5` (or `Containerfile:5`)
 * among `lines`, else `line 5` in the error of a parse failure.
 */
function namedLine(lines: readonly string[], error: string): number | undefined {
  for (const line of lines) {
    const file = /^(?:\S*\/)?[\w.-]*(?:Dockerfile|Containerfile)[\w.-]*:(\d+)$/i.exec(line.trim());
    if (file) return Number(file[1]);
  }
  const parse = /(?:parse error|Dockerfile|Containerfile).*?\b(?:on )?line:? (\d+)\b/i.exec(error);
  return parse ? Number(parse[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// BuildKit (docker buildx, `--progress=plain`)

/** `#8 [2/3] RUN …`, `#8 [builder 2/3] RUN …`, `#8 [linux/arm64 builder 2/3] …`; `[internal]`/`[auth]` vertices are not steps. */
const BUILDKIT_STEP = /^#(\d+) \[(?:(.+?) )?(\d+)\/(\d+)\] (.*)$/;
/** `#8 0.123 output` */
const BUILDKIT_OUTPUT = /^#(\d+) \d+\.\d+ ?(.*)$/;
const BUILDKIT_VERTEX_ERROR = /^#(\d+) ERROR: (.*)$/;
const BUILDKIT_ERROR = /^ERROR: (.*)$/;

function parseBuildKit(lines: readonly string[]): BuildOutput {
  const steps: BuildStep[] = [];
  const byVertex = new Map<string, BuildStep>();
  const outputByVertex = new Map<string, string[]>();
  let failedVertex: string | undefined;
  let error: string | undefined;
  let errorIndex = -1;
  lines.forEach((line, index) => {
    const step = BUILDKIT_STEP.exec(line);
    if (step) {
      const [, vertex, label, number, count, instruction] = step;
      if (byVertex.has(vertex)) return; // BuildKit repeats a vertex's header when its output resumes
      // The label is `[platform] [stage name]`: a platform has a slash, a stage name cannot.
      const words = label?.split(' ') ?? [];
      const platform = words[0]?.includes('/') ? words.shift() : undefined;
      const stageName = words.length > 0 ? words.join(' ') : undefined;
      const parsed = withPlatform({ stage: buildKitStage(stageName), stageCount: stageName ? 0 : 1, step: Number(number), stepCount: Number(count), instruction }, platform);
      byVertex.set(vertex, parsed);
      steps.push(parsed);
      return;
    }
    const output = BUILDKIT_OUTPUT.exec(line);
    if (output) {
      const list = outputByVertex.get(output[1]) ?? [];
      list.push(output[2]);
      outputByVertex.set(output[1], list);
      return;
    }
    const vertexError = BUILDKIT_VERTEX_ERROR.exec(line);
    if (vertexError && byVertex.has(vertexError[1])) {
      failedVertex ??= vertexError[1];
      error ??= vertexError[2];
      return;
    }
    const finalError = BUILDKIT_ERROR.exec(line);
    if (finalError && errorIndex < 0) {
      error = finalError[1];
      errorIndex = index;
    }
  });
  if (error === undefined) return { steps };
  if (failedVertex === undefined) {
    // The summary block names the step: ` > [2/3] RUN false:`
    const summary = lines.map((line) => /^ > \[(?:.+? )?(\d+)\/(\d+)\] (.*):$/.exec(line)).find(Boolean);
    if (summary) failedVertex = [...byVertex].find(([, step]) => step.step === Number(summary[1]) && step.instruction === summary[3])?.[0];
  }
  const step = failedVertex ? byVertex.get(failedVertex) : undefined;
  const output = trimBlankEnds(failedVertex ? (outputByVertex.get(failedVertex) ?? []) : []).slice(-FAILURE_OUTPUT_LINES);
  const failure: BuildFailure = {
    ...(step ?? { stage: 0, stageCount: 0, step: 0, stepCount: 0, instruction: '' }),
    message: composeMessage(error, output),
    error,
    output,
  };
  // BuildKit prints `Dockerfile:5` and the excerpt before its final `ERROR: failed to solve`.
  const line = namedLine(lines, error);
  if (line !== undefined) failure.line = line;
  return { steps, failure };
}

/** BuildKit names stages: `stage-N` (0-based) for unnamed ones; a name gives no position. */
function buildKitStage(name: string | undefined): number {
  if (name === undefined) return 1;
  const unnamed = /^stage-(\d+)$/.exec(name);
  return unnamed ? Number(unnamed[1]) + 1 : 0;
}

// ---------------------------------------------------------------------------------------------

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

function trimBlankEnds(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === '') start++;
  while (end > start && lines[end - 1].trim() === '') end--;
  return lines.slice(start, end);
}
