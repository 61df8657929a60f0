/**
 * The argument arrays of the farm subcommands (`podman farm build/create/update`, `podman
 * system connection add`, the emulated fallback `podman build --platform ... --manifest`),
 * the checks of what goes in them, and which podman can do farm builds at all.
 * Like client/src/podman/commands.ts: global options go before these (runPodman), and every
 * value stays one argument. No `vscode` import.
 */
import { buildInputArgs, type CommandArgs } from '../podman/commands';
import { parseImageReference } from '../podman/reference';
import { compareVersions } from '../podman/tool';
import { formatPlatform, parsePlatform, type Platform } from './parse';

/** `podman farm` arrived in podman 4.9. */
export const FARM_MINIMUM_VERSION = '4.9.0';

/** Why farm builds cannot run with this podman version, or undefined when they can. */
export function farmUnsupportedReason(version: string): string | undefined {
  if (compareVersions(version, FARM_MINIMUM_VERSION) >= 0) return undefined;
  return `podman ${version} has no farm builds: podman farm arrived in podman ${FARM_MINIMUM_VERSION}. Upgrade podman, or set bootc.podman.path to a newer one.`;
}

/** The trade-off of the fallback, said wherever it is offered. */
export const FALLBACK_TRADE_OFF =
  'The fallback builds every platform on this machine with podman build --platform ... --manifest: platforms other than this machine\'s run emulated (QEMU user mode; Linux needs qemu-user-static/binfmt_misc), which is much slower, often 5 to 20 times, and the manifest list stays in local storage until you push it (podman manifest push --all).';

/** Names of farms and connections: they become one argument each, and must not look like an option. */
export function validateNodeName(name: string, what: 'farm' | 'connection'): string | undefined {
  if (name.trim() === '') return `The ${what} name is empty.`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return `The ${what} name "${name}" is not valid: use letters, digits, "_", "." and "-", starting with a letter or digit (e.g. builder-arm64).`;
  if (name.length > 128) return `The ${what} name is ${name.length} characters long; at most 128 are allowed.`;
  return undefined;
}

const SSH_USER = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const HOST_LABEL = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;
const EXAMPLE_DESTINATION = 'ssh://core@build-arm64.example.com:22/run/user/1000/podman/podman.sock';

/**
 * Why `destination` is not a connection podman can add, or undefined. Accepted:
 * `ssh://[user@]host[:port][/absolute/socket/path]` (without a path podman asks the host for its
 * socket), `unix:///absolute/path`, and `tcp://host:port` (unencrypted; for trusted networks).
 */
export function validateConnectionDestination(destination: string): string | undefined {
  const fail = (what: string) => `${what}. A connection looks like ${EXAMPLE_DESTINATION}.`;
  if (/\s/.test(destination)) return fail(`"${destination}" contains a space`);
  const scheme = /^([a-z]+):\/\//.exec(destination)?.[1];
  if (!scheme) return fail(`"${destination}" has no scheme (ssh://, unix:// or tcp://)`);
  const rest = destination.slice(scheme.length + 3);
  if (scheme === 'unix') return rest.startsWith('/') && rest.length > 1 ? undefined : fail(`The socket path of "${destination}" must be absolute (unix:///run/podman/podman.sock)`);
  if (scheme !== 'ssh' && scheme !== 'tcp') return fail(`The scheme "${scheme}://" is not one podman connects with (ssh://, unix:// or tcp://)`);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  const user = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  if (user !== undefined && scheme === 'tcp') return fail(`tcp:// connections take no user ("${user}@")`);
  if (user !== undefined && !SSH_USER.test(user)) return fail(`The user "${user}" is not a valid login name`);
  const bracketed = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(hostPort);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  const host = bracketed?.[1] ?? plain?.[1] ?? '';
  const port = bracketed ? bracketed[2] : plain?.[2];
  if (host === '') return fail(`"${destination}" names no host`);
  if (!bracketed && !host.split('.').every((label) => HOST_LABEL.test(label))) return fail(`The host "${host}" is not valid: it is names of letters, digits and "-" separated by "." (or an IP address)`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return fail(`The port ${port} is not between 1 and 65535`);
  if (scheme === 'tcp' && port === undefined) return fail(`tcp:// connections need a port (tcp://host:8888)`);
  if (scheme === 'tcp' && slash >= 0 && rest.slice(slash) !== '/') return fail(`tcp:// connections take no path`);
  return undefined;
}

/** `podman system connection add [--identity KEY] [--default] NAME DESTINATION`. Throws when the name or destination is invalid. */
export function connectionAddArgs(name: string, destination: string, options: { identity?: string; isDefault?: boolean } = {}): string[] {
  const problem = validateNodeName(name, 'connection') ?? validateConnectionDestination(destination);
  if (problem) throw new Error(problem);
  const args = ['system', 'connection', 'add'];
  if (options.identity) args.push('--identity', options.identity);
  if (options.isDefault) args.push('--default');
  args.push(name, destination);
  return args;
}

/** `podman farm create NAME [CONNECTION...]`. */
export function farmCreateArgs(name: string, connections: readonly string[]): string[] {
  const problem = validateNodeName(name, 'farm') ?? connections.map((c) => validateNodeName(c, 'connection')).find(Boolean);
  if (problem) throw new Error(problem);
  return ['farm', 'create', name, ...connections];
}

/** `podman farm update [--add C]... [--remove C]... [--default] NAME`. Throws when there is nothing to change. */
export function farmUpdateArgs(name: string, change: { add?: readonly string[]; remove?: readonly string[]; makeDefault?: boolean }): string[] {
  const connections = [...(change.add ?? []), ...(change.remove ?? [])];
  const problem = validateNodeName(name, 'farm') ?? connections.map((c) => validateNodeName(c, 'connection')).find(Boolean);
  if (problem) throw new Error(problem);
  if (connections.length === 0 && !change.makeDefault) throw new Error(`Nothing to change in the farm ${name}.`);
  const args = ['farm', 'update'];
  for (const connection of change.add ?? []) args.push('--add', connection);
  for (const connection of change.remove ?? []) args.push('--remove', connection);
  if (change.makeDefault) args.push('--default');
  args.push(name);
  return args;
}

/** `podman farm list --format json`. */
export const farmListArgs = (): string[] => ['farm', 'list', '--format', 'json'];
/** `podman system connection list --format json`. */
export const connectionListArgs = (): string[] => ['system', 'connection', 'list', '--format', 'json'];
/** `podman --connection NAME info --format json`: the node's own platform (a global option, so it goes first). */
export const nodeInfoArgs = (connection: string): string[] => ['--connection', connection, 'info', '--format', 'json'];
/** `podman manifest inspect REF` (a local manifest list, else the registry's). */
export const manifestInspectArgs = (reference: string, options: { tlsVerify?: boolean } = {}): string[] => [
  'manifest',
  'inspect',
  ...(options.tlsVerify === false ? ['--tls-verify=false'] : []),
  reference,
];

/**
 * Why `reference` cannot be where a farm build pushes, or undefined: it must name a registry
 * (`quay.io/me/my-os`, `registry.example.com:5000/os`), since each node pushes its image there
 * and podman pushes the manifest list after them; `localhost/...` is local storage only.
 */
export function validateFarmReference(reference: string): string | undefined {
  const parsed = parseImageReference(reference);
  if ('problem' in parsed) return parsed.problem;
  if (parsed.domain === undefined || parsed.domain === 'localhost') {
    return `A farm build pushes every node's image and the manifest list to a registry, so the reference must name one, e.g. quay.io/me/${parsed.path}:latest or registry.example.com:5000/${parsed.path} ("${reference}" ${parsed.domain === 'localhost' ? 'is local storage' : 'names no registry'}).`;
  }
  return undefined;
}

/** Checks and normalises platforms (`linux/amd64`); throws on an invalid or empty list. */
export function checkPlatforms(platforms: readonly string[]): string[] {
  if (platforms.length === 0) throw new Error('Choose at least one platform (e.g. linux/amd64).');
  return platforms.map((value) => {
    const platform: Platform | undefined = parsePlatform(value);
    if (!platform) throw new Error(`"${value}" is not a platform: it is OS/ARCHITECTURE[/VARIANT], e.g. linux/arm64.`);
    return formatPlatform(platform);
  });
}

/** The options of a farm build and of its fallback. */
export interface FarmBuildOptions {
  /** The farm (`--farm`); podman's default farm when undefined. */
  farm?: string;
  /** `linux/amd64`, `linux/arm64`...: only the nodes of these platforms build (`--platforms`). */
  platforms: readonly string[];
  /** The registry reference the images and the manifest list are pushed to (`-t`). */
  reference: string;
  containerfile: string;
  context: string;
  /** Remove the built images from the nodes after the push (`--cleanup`). */
  cleanup?: boolean;
  /** Build on this machine too (`--local`; podman's default is true). */
  local?: boolean;
  buildArgs?: Readonly<Record<string, string>>;
  target?: string;
  secrets?: readonly string[];
  /** More options for the build, before the context folder. */
  extraArgs?: readonly string[];
}

/**
 * `podman farm build --farm F --platforms P1,P2 -t REF [--cleanup] --local=BOOL [--build-arg ...]
 * [--target T] -f FILE CONTEXT`. An explicit `:latest` is dropped from REF: podman up to at least
 * 5.4 cannot push a tagged reference from a farm (podman issue #25039) and an untagged one is
 * `:latest` anyway. Throws on an invalid reference, platform, build argument or secret.
 */
export function farmBuildArgs(options: FarmBuildOptions): CommandArgs {
  const problem = validateFarmReference(options.reference);
  if (problem) throw new Error(problem);
  if (options.farm !== undefined) {
    const farmProblem = validateNodeName(options.farm, 'farm');
    if (farmProblem) throw new Error(farmProblem);
  }
  const platforms = checkPlatforms(options.platforms);
  const { args: inputs, secrets } = buildInputArgs(options);
  const args = ['farm', 'build'];
  if (options.farm !== undefined) args.push('--farm', options.farm);
  args.push('--platforms', platforms.join(','), '-t', options.reference.replace(/:latest$/, ''));
  if (options.cleanup) args.push('--cleanup');
  args.push(`--local=${options.local ?? true}`);
  args.push('-f', options.containerfile, ...inputs, ...(options.extraArgs ?? []), options.context);
  return { args, secrets };
}

/**
 * The fallback without a farm: `podman build --platform P1,P2 --manifest REF -f FILE CONTEXT`,
 * every platform built here (emulated when foreign, see {@link FALLBACK_TRADE_OFF}) into a local
 * manifest list. REF may be local (`localhost/my-os`) since nothing is pushed.
 */
export function fallbackBuildArgs(options: Omit<FarmBuildOptions, 'farm' | 'cleanup' | 'local'>): CommandArgs {
  const parsed = parseImageReference(options.reference);
  if ('problem' in parsed) throw new Error(parsed.problem);
  const platforms = checkPlatforms(options.platforms);
  const { args: inputs, secrets } = buildInputArgs(options);
  const args = ['build', '--platform', platforms.join(','), '--manifest', options.reference];
  args.push('-f', options.containerfile, ...inputs, ...(options.extraArgs ?? []), options.context);
  return { args, secrets };
}

/**
 * Turns a failed farm build's error output into a message that says what to do; known causes
 * lead, podman's own error follows.
 */
export function describeFarmError(stderr: string, reference: string): string {
  const lines = stderr.trim().split('\n');
  const errorAt = lines.findIndex((line) => line.startsWith('Error: '));
  const podmanError = errorAt >= 0 ? lines.slice(errorAt).join('\n').slice('Error: '.length).trim() : (lines.pop() ?? '').trim();
  const registry = reference.split('/')[0];
  let cause: string | undefined;
  if (/@@unknown-digest@@/.test(podmanError) && /unknown transport/.test(podmanError)) {
    cause = `This podman's farm build cannot push a reference with a tag other than latest (podman issue #25039): push to ${reference.replace(/:[^:/]+$/, '')} without a tag (it becomes :latest), or upgrade podman.`;
  } else if (/server gave HTTP response to HTTPS client/i.test(podmanError)) {
    cause = `The registry ${registry} speaks plain HTTP: mark it insecure in registries.conf on this machine and on every node ([[registry]] location="${registry}" insecure=true), only if you trust it.`;
  } else if (/unauthorized|authentication required|denied/i.test(podmanError)) {
    cause = `The registry ${registry} refused the push: log in with podman login ${registry} here and on every node.`;
  } else if (/connection refused|no such host|i\/o timeout|no route to host|unable to connect|ssh: handshake failed/i.test(podmanError)) {
    cause = `A node or the registry could not be reached: check the farm's connections (podman system connection list) and the registry ${registry}.`;
  } else if (/no builder capable of building for platform/i.test(podmanError)) {
    cause = 'No node of the farm builds the chosen platform: choose among the platforms its nodes provide, or add a node of that architecture (Bootc: Manage Farms).';
  }
  const said = podmanError || 'podman farm build failed without an error message';
  return cause ? `${cause}\n(podman: ${said})` : said;
}
