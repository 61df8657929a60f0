/**
 * What the farm commands do with podman: find out whether farm builds are possible here, list
 * farms and connections, ask each node for its platform, run `podman farm build` (or the
 * emulated fallback) with each node's output told apart, read the manifest list it pushed, and
 * change farms and connections. No `vscode` import: the integration tests call these directly.
 */
import { formatCommandLine, Redactor, type OutputStream, type ProcessResult } from '../process';
import type { OperationOptions } from '../podman/operations';
import { checkPodman, runPodman, type Podman } from '../podman/tool';
import {
  connectionAddArgs,
  connectionListArgs,
  describeFarmError,
  fallbackBuildArgs,
  farmBuildArgs,
  farmCreateArgs,
  farmListArgs,
  farmUnsupportedReason,
  farmUpdateArgs,
  manifestInspectArgs,
  nodeInfoArgs,
  type FarmBuildOptions,
} from './commands';
import {
  demultiplexFarmLine,
  formatPlatform,
  parseConnectionList,
  parseFarmList,
  parseFarmOutcomes,
  parseInfoPlatform,
  parseManifestPlatforms,
  type Connection,
  type Farm,
  type FarmLine,
  type NodeOutcome,
  type Platform,
} from './parse';

/** Whether farm builds can run with this podman, and the farms when they can. */
export type FarmAvailability =
  | { state: 'available'; version: string; farms: Farm[] }
  /** podman is older than 4.9 (`reason` says so) or has no farm configured. */
  | { state: 'unsupported' | 'no-farm'; version: string; reason: string; farms: Farm[] };

/** Checks podman (it runs, its version) and lists the farms; rejects only when podman itself cannot run. */
export async function farmAvailability(podman: Podman, signal?: AbortSignal): Promise<FarmAvailability> {
  const version = await checkPodman(podman, signal);
  const unsupported = farmUnsupportedReason(version);
  if (unsupported) return { state: 'unsupported', version, reason: unsupported, farms: [] };
  const farms = await listFarms(podman, signal);
  if (farms.length === 0) {
    return { state: 'no-farm', version, farms, reason: 'No podman farm is configured: create one from your system connections (Bootc: Manage Farms), one connection per build machine.' };
  }
  return { state: 'available', version, farms };
}

async function runJson(podman: Podman, args: string[], what: string, signal?: AbortSignal): Promise<string> {
  const result = await runPodman(podman, args, { signal });
  if (result.exitCode !== 0) throw new Error(`Could not list ${what}: ${lastError(result.stderr) || `podman exited with ${result.exitCode}`}`);
  return result.stdout;
}

/** `podman farm list`. */
export async function listFarms(podman: Podman, signal?: AbortSignal): Promise<Farm[]> {
  return parseFarmList(await runJson(podman, farmListArgs(), 'the farms', signal));
}

/** `podman system connection list`. */
export async function listConnections(podman: Podman, signal?: AbortSignal): Promise<Connection[]> {
  return parseConnectionList(await runJson(podman, connectionListArgs(), 'the system connections', signal));
}

/** A node of a farm and what it builds, or why it could not be asked. */
export interface NodePlatform {
  /** The connection name; `(local)` for this machine. */
  node: string;
  platform?: Platform;
  error?: string;
}

/** The local builder's name in `podman farm build` output. */
export const LOCAL_NODE = '(local)';

/** Asks one node (`podman --connection NAME info`), or this machine's podman for {@link LOCAL_NODE}. */
export async function nodePlatform(podman: Podman, node: string, signal?: AbortSignal): Promise<NodePlatform> {
  const args = node === LOCAL_NODE ? ['info', '--format', 'json'] : nodeInfoArgs(node);
  try {
    const result = await runPodman(podman, args, { signal });
    if (result.exitCode !== 0) return { node, error: lastError(result.stderr) || `podman info exited with ${result.exitCode}` };
    return { node, platform: parseInfoPlatform(result.stdout) };
  } catch (error) {
    return { node, error: error instanceof Error ? error.message : String(error) };
  }
}

/** What a farm can build: each node's platform (asked in parallel), and the distinct platforms, sorted. */
export async function farmPlatforms(podman: Podman, farm: Farm, options: { local?: boolean; signal?: AbortSignal } = {}): Promise<{ nodes: NodePlatform[]; platforms: string[] }> {
  const names = [...farm.connections, ...(options.local ? [LOCAL_NODE] : [])];
  const nodes = await Promise.all(names.map((name) => nodePlatform(podman, name, options.signal)));
  const platforms = [...new Set(nodes.flatMap((node) => (node.platform ? [formatPlatform(node.platform)] : [])))].sort();
  return { nodes, platforms };
}

export interface FarmRunOptions extends OperationOptions {
  /** Each line split into its node and text (see {@link demultiplexFarmLine}); called besides `onLine`. */
  onFarmLine?: (line: FarmLine, stream: OutputStream) => void;
}

export interface FarmBuildResult extends ProcessResult {
  ok: boolean;
  /** Per node: built (with the image id) or failed (with podman's error). */
  nodes: NodeOutcome[];
  /** Why the build failed, for people (known causes first), when it did and was not cancelled. */
  error?: string;
}

/** Runs `podman farm build` (see {@link farmBuildArgs}); the values of secret-looking build arguments are redacted. */
export async function runFarmBuild(podman: Podman, options: FarmBuildOptions, run: FarmRunOptions = {}): Promise<FarmBuildResult> {
  return runMultiArch(podman, farmBuildArgs(options), options.reference, run);
}

/** Runs the fallback `podman build --platform ... --manifest REF` (see {@link fallbackBuildArgs}). */
export async function runFallbackBuild(podman: Podman, options: Omit<FarmBuildOptions, 'farm' | 'cleanup' | 'local'>, run: FarmRunOptions = {}): Promise<FarmBuildResult> {
  return runMultiArch(podman, fallbackBuildArgs(options), options.reference, run);
}

async function runMultiArch(podman: Podman, command: { args: string[]; secrets: string[] }, reference: string, run: FarmRunOptions): Promise<FarmBuildResult> {
  const redactor = run.redactor ?? new Redactor();
  for (const secret of command.secrets) redactor.add(secret);
  const lines: string[] = [];
  run.onCommandLine?.(formatCommandLine(podman.path, [...podman.globalArgs, ...command.args], redactor));
  const result = await runPodman(podman, command.args, {
    signal: run.signal,
    redactor,
    killInnerSessionsFirst: true,
    onLine: (line, stream) => {
      lines.push(line);
      run.onLine?.(line, stream);
      run.onFarmLine?.(demultiplexFarmLine(line), stream);
    },
  });
  const ok = result.exitCode === 0 && !result.cancelled;
  const build: FarmBuildResult = { ...result, ok, nodes: parseFarmOutcomes(lines) };
  if (!ok && !result.cancelled) build.error = describeFarmError(result.stderr, reference);
  return build;
}

/** The platforms of the manifest list `reference` (`podman manifest inspect`); rejects with podman's error. */
export async function inspectManifest(podman: Podman, reference: string, options: { tlsVerify?: boolean; signal?: AbortSignal } = {}): Promise<Platform[]> {
  const result = await runPodman(podman, manifestInspectArgs(reference, options), { signal: options.signal });
  if (result.exitCode !== 0) throw new Error(`podman manifest inspect ${reference} failed: ${lastError(result.stderr) || `exit code ${result.exitCode}`}`);
  return parseManifestPlatforms(result.stdout);
}

async function change(podman: Podman, args: string[], what: string): Promise<void> {
  const result = await runPodman(podman, args);
  if (result.exitCode !== 0) throw new Error(`Could not ${what}: ${lastError(result.stderr) || `podman exited with ${result.exitCode}`}`);
}

/** `podman farm create NAME CONNECTION...`. */
export function createFarm(podman: Podman, name: string, connections: readonly string[]): Promise<void> {
  return change(podman, farmCreateArgs(name, connections), `create the farm ${name}`);
}

/** `podman farm update`: add or remove nodes, or make it the default farm. */
export function updateFarm(podman: Podman, name: string, changes: Parameters<typeof farmUpdateArgs>[1]): Promise<void> {
  return change(podman, farmUpdateArgs(name, changes), `update the farm ${name}`);
}

/** `podman farm remove NAME`. */
export function removeFarm(podman: Podman, name: string): Promise<void> {
  return change(podman, ['farm', 'remove', name], `remove the farm ${name}`);
}

/** `podman system connection add NAME DESTINATION`; podman checks an ssh destination by connecting to it. */
export function addConnection(podman: Podman, name: string, destination: string, options: { identity?: string; isDefault?: boolean } = {}): Promise<void> {
  return change(podman, connectionAddArgs(name, destination, options), `add the connection ${name}`);
}

/** podman's last `Error: ...` line (without the prefix), else its last line. */
function lastError(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const error = [...lines].reverse().find((line) => line.startsWith('Error: '));
  return (error ? error.slice('Error: '.length) : (lines.pop() ?? '')).trim();
}
