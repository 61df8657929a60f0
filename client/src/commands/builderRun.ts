/**
 * Runs bootc-image-builder's `podman run` to its end: every output line to the caller and to
 * the log file beside the output, the builder's progress parsed, and a cancel that stops the
 * builder container by its name (it runs under podman's conmon, outside the process tree that
 * process.ts kills) before it returns. No `vscode` import: the tests run it against the
 * bootc-image-builder stand-in.
 */
import * as fs from 'node:fs';
import { BuilderProgressParser, type BuilderProgress } from '../disk/progress';
import type { Podman } from '../podman/tool';
import { formatCommandLine, spawnStreaming, type OutputStream, type ProcessResult, type Redactor } from '../process';
import { builderInvocation, stopBuilderArgs } from './diskPlan';

export interface BuilderRunOptions {
  podman: Podman;
  /** `podman run` arguments from `builderRunArgs`, with `--name containerName`. */
  args: string[];
  containerName: string;
  /** Podman is rootless: the builder runs as root through pkexec (see `builderInvocation`). */
  rootless?: boolean;
  /** The absolute podman path for pkexec (rootless only). */
  podmanProgram?: string;
  /** The full output goes here (created or replaced). */
  logFile?: string;
  signal?: AbortSignal;
  redactor?: Redactor;
  /** The command line as it runs (redacted), before its output. */
  onCommandLine?: (commandLine: string) => void;
  onLine?: (line: string, stream: OutputStream) => void;
  /** The builder's progress; `percent` never goes back. */
  onProgress?: (progress: BuilderProgress) => void;
}

/** Runs the builder; a cancelled run resolves (with `cancelled: true`) once its container is gone. */
export async function runBuilder(options: BuilderRunOptions): Promise<ProcessResult> {
  const { podman, containerName } = options;
  const rootless = options.rootless ?? false;
  const invocation = builderInvocation(podman, options.args, rootless, options.podmanProgram);
  const log = options.logFile ? fs.createWriteStream(options.logFile, { mode: 0o644 }) : undefined;
  const parser = new BuilderProgressParser();
  let stopping: Promise<void> | undefined;
  try {
    options.signal?.throwIfAborted();
    const commandLine = formatCommandLine(invocation.command, invocation.args, options.redactor);
    log?.write(`$ ${commandLine}\n`);
    options.onCommandLine?.(commandLine);
    const running = spawnStreaming(invocation.command, invocation.args, {
      env: podman.env,
      redactor: options.redactor,
      onLine: (line, stream) => {
        log?.write(`${line}\n`);
        options.onLine?.(line, stream);
        const progress = parser.feed(line);
        if (progress) options.onProgress?.(progress);
      },
    });
    const stopContainer = () => {
      running.kill();
      stopping = (async () => {
        for (const stopArgs of stopBuilderArgs(containerName)) {
          const stop = builderInvocation(podman, stopArgs, rootless, options.podmanProgram);
          await spawnStreaming(stop.command, stop.args, { env: podman.env }).result.catch(() => undefined);
        }
      })();
    };
    options.signal?.addEventListener('abort', stopContainer, { once: true });
    const result = await running.result;
    options.signal?.removeEventListener('abort', stopContainer);
    await stopping;
    log?.write(`\n${result.cancelled ? 'cancelled' : `exit code: ${result.exitCode ?? result.signal}`}\n`);
    return result;
  } finally {
    await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
  }
}
