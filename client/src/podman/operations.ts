/**
 * What the commands do with podman: build, run, push, and `bootc container lint` in a built
 * image. Each checks its image names before podman runs, streams podman's output line by
 * line, and can be cancelled. No `vscode` import: the integration tests call these directly.
 * (Salvaged in full from the session's bundle source map.)
 */
import { randomBytes } from 'node:crypto';
import { parseBuildOutput, type BuildFailure, type BuildStep } from '../../../server/src/image/build-output';
import { formatCommandLine, Redactor, type OutputStream, type ProcessResult } from '../process';
import { buildImageArgs, containerLintArgs, imageExistsArgs, pushArgs, removeImageArgs, runArgs, type BuildImageOptions } from './commands';
import { validateImageReference } from './reference';
import { runPodman, type Podman } from './tool';

export interface OperationOptions {
  signal?: AbortSignal;
  /** Each output line, redacted, as it arrives. */
  onLine?: (line: string, stream: OutputStream) => void;
  /** The command line (redacted) just before podman starts, to show what runs. */
  onCommandLine?: (commandLine: string) => void;
  /** Secrets to hide; the build adds the values of secret-looking build arguments to it. */
  redactor?: Redactor;
}

/** An image name was refused before podman ran; the message names the bad part. */
export class ImageReferenceError extends Error {
  constructor(
    readonly reference: string,
    problem: string,
  ) {
    super(problem);
    this.name = 'ImageReferenceError';
  }
}

export interface BuildResult extends ProcessResult {
  /** podman built and tagged the image. */
  ok: boolean;
  /** The new image's full id, when podman printed it. */
  imageId?: string;
  /** The STEP lines podman printed. */
  steps: BuildStep[];
  /** The failing step and podman's error text, when the build failed at a step. */
  failure?: BuildFailure;
}

/**
 * Runs `podman build`. The tag is checked first ({@link ImageReferenceError}, nothing runs),
 * values of secret-looking build arguments are redacted, and a cancel stops the RUN
 * container first so that podman removes its build container before it is stopped too.
 */
export async function buildImage(podman: Podman, options: BuildImageOptions, run: OperationOptions = {}): Promise<BuildResult> {
  checkReference(options.tag);
  const { args, secrets } = buildImageArgs(options);
  const redactor = run.redactor ?? new Redactor();
  for (const secret of secrets) redactor.add(secret);
  const lines: string[] = [];
  const result = await start(podman, args, run, redactor, {
    killInnerSessionsFirst: true,
    onLine: (line, stream) => {
      lines.push(line);
      run.onLine?.(line, stream);
    },
  });
  const ok = result.exitCode === 0 && !result.cancelled;
  // podman prints the image id as the last line of stdout.
  const imageId = ok ? result.stdout.trim().split('\n').pop()?.match(/^[0-9a-f]{64}$/)?.[0] : undefined;
  const parsed = parseBuildOutput(lines);
  const build: BuildResult = { ...result, ok, steps: parsed.steps };
  if (imageId) build.imageId = imageId;
  // A cancelled build also fails its step ("container exited on killed"): that is not the build's fault.
  if (!ok && !result.cancelled && parsed.failure) build.failure = parsed.failure;
  return build;
}

/** Runs `COMMAND` in a new container of `image` (`podman run --rm`) and collects its output. */
export async function runContainer(podman: Podman, image: string, command: readonly string[], run: OperationOptions & { extraArgs?: readonly string[] } = {}): Promise<ProcessResult> {
  checkReference(image, true);
  return runRemovingOnCancel(podman, (name) => runArgs(image, command, ['--name', name, ...(run.extraArgs ?? [])]), run);
}

/**
 * Runs `bootc container lint` in `image` and returns its raw output and exit code (parse it
 * with `parseContainerLintOutput` from server/src/image/container-lint.ts).
 */
export async function lintImage(podman: Podman, image: string, run: OperationOptions = {}): Promise<ProcessResult> {
  checkReference(image, true);
  return runRemovingOnCancel(podman, (name) => containerLintArgs(image, ['--name', name]), run);
}

export interface PushResult extends ProcessResult {
  ok: boolean;
  /** What went wrong, for people: podman's error, led by the likely cause when it is a known one. */
  error?: string;
}

/** Pushes the local `image` to `destination` (a registry reference, checked first). */
export async function pushImage(podman: Podman, image: string, destination: string, run: OperationOptions = {}): Promise<PushResult> {
  checkReference(image, true);
  checkReference(destination);
  const result = await start(podman, pushArgs(image, destination), run, run.redactor ?? new Redactor(), {});
  const ok = result.exitCode === 0 && !result.cancelled;
  const push: PushResult = { ...result, ok };
  if (!ok && !result.cancelled) push.error = describePushError(result.stderr, destination, result.exitCode);
  return push;
}

/** True when `image` is in local storage. */
export async function imageExists(podman: Podman, image: string, signal?: AbortSignal): Promise<boolean> {
  const result = await runPodman(podman, imageExistsArgs(image), { signal });
  return result.exitCode === 0;
}

/** Removes images from local storage; missing ones are ignored. */
export async function removeImages(podman: Podman, images: readonly string[]): Promise<ProcessResult> {
  return runPodman(podman, removeImageArgs(...images));
}

/**
 * Turns podman's push error into a message that says what to do: an unreachable registry,
 * refused credentials or a plain-HTTP registry are recognized; podman's own error follows.
 */
export function describePushError(stderr: string, destination: string, exitCode: number | null): string {
  const lines = stderr.trim().split('\n');
  const podmanError = [...lines].reverse().find((line) => line.startsWith('Error: '))?.slice('Error: '.length) ?? lines.pop() ?? '';
  const registry = destination.includes('/') ? destination.split('/')[0] : 'docker.io';
  let cause: string | undefined;
  if (/connection refused|no such host|network is unreachable|i\/o timeout|no route to host|dial tcp/i.test(podmanError)) {
    cause = `Cannot reach the registry ${registry}: check the name and your network.`;
  } else if (/unauthorized|authentication required|denied|403 Forbidden/i.test(podmanError)) {
    cause = `The registry ${registry} refused the push: log in with podman login ${registry}, and check that you may push to this repository.`;
  } else if (/server gave HTTP response to HTTPS client/i.test(podmanError)) {
    cause = `The registry ${registry} speaks plain HTTP: add --tls-verify=false to bootc.podman.extraArgs only if you trust it.`;
  }
  const said = podmanError || `podman push exited with ${exitCode}`;
  return cause ? `${cause} (podman: ${said})` : said;
}

function checkReference(reference: string, allowDigest = false): void {
  const problem = validateImageReference(reference, { allowDigest });
  if (problem) throw new ImageReferenceError(reference, problem);
}

/** Starts podman after announcing the command line. */
function start(podman: Podman, args: string[], run: OperationOptions, redactor: Redactor, extra: { killInnerSessionsFirst?: boolean; onLine?: OperationOptions['onLine'] }): Promise<ProcessResult> {
  run.onCommandLine?.(formatCommandLine(podman.path, [...podman.globalArgs, ...args], redactor));
  return runPodman(podman, args, { signal: run.signal, redactor, onLine: extra.onLine ?? run.onLine, killInnerSessionsFirst: extra.killInnerSessionsFirst });
}

/**
 * `podman run --rm` under a name of our own: podman's container runs under conmon, outside
 * the process tree a cancel stops, so a cancel removes the container by that name (at once,
 * and again once podman ended, in case it created the container meanwhile).
 */
async function runRemovingOnCancel(podman: Podman, argsFor: (name: string) => string[], run: OperationOptions): Promise<ProcessResult> {
  const name = `bootc-vscode-${randomBytes(6).toString('hex')}`;
  const remove = () => runPodman(podman, ['rm', '--force', '--time', '0', name]).catch(() => undefined);
  let removing: Promise<unknown> = Promise.resolve();
  const onAbort = () => (removing = remove());
  run.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await start(podman, argsFor(name), run, run.redactor ?? new Redactor(), {});
    if (result.cancelled) await Promise.all([removing, remove()]);
    return result;
  } finally {
    run.signal?.removeEventListener('abort', onAbort);
  }
}
