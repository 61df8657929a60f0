/**
 * Reading what podman prints about farms: `podman farm list --format json`, `podman system
 * connection list --format json`, a node's `podman info --format json`, `podman manifest
 * inspect`, and the lines of `podman farm build`, which prefixes each node's build output
 * with `[PLATFORM@NODE] ` (`[linux/amd64@builder-x86] STEP 1/3: FROM ...`; the local builder
 * is `(local)`). No `vscode` import.
 */

/** A farm: a named set of system connections that `podman farm build` builds on. */
export interface Farm {
  name: string;
  /** Names of its system connections (its nodes). */
  connections: string[];
  /** The farm `podman farm build` uses without `--farm`. */
  isDefault: boolean;
}

/** A `podman system connection`: how to reach one podman service. */
export interface Connection {
  name: string;
  /** `ssh://user@host:port/run/user/UID/podman/podman.sock`, `unix:///run/podman/podman.sock`... */
  uri: string;
  /** The SSH key, when one is configured. */
  identity?: string;
  isDefault: boolean;
}

/** An OS/architecture pair as podman spells it: `linux/amd64`, `linux/arm64/v8`. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

function parseJsonArray(output: string, what: string): Record<string, unknown>[] {
  const text = output.trim();
  // podman prints nothing (not "[]") for an empty list in some versions.
  if (text === '' || text === 'null') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Could not read ${what}: podman printed no JSON (${text.split('\n')[0].slice(0, 120)})`);
  }
  if (!Array.isArray(parsed)) throw new Error(`Could not read ${what}: podman printed ${typeof parsed} instead of a list`);
  return parsed.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The farms of `podman farm list --format json` (`[{"Name", "Connections", "Default", "ReadWrite"}]`). */
export function parseFarmList(output: string): Farm[] {
  return parseJsonArray(output, 'the farm list').flatMap((item) => {
    const name = text(item.Name);
    if (name === '') return [];
    const connections = Array.isArray(item.Connections) ? item.Connections.filter((c): c is string => typeof c === 'string') : [];
    return [{ name, connections, isDefault: item.Default === true }];
  });
}

/** The connections of `podman system connection list --format json` (`[{"Name", "URI", "Identity", "Default"}]`). */
export function parseConnectionList(output: string): Connection[] {
  return parseJsonArray(output, 'the system connections').flatMap((item) => {
    const name = text(item.Name);
    if (name === '') return [];
    const connection: Connection = { name, uri: text(item.URI), isDefault: item.Default === true };
    if (text(item.Identity) !== '') connection.identity = text(item.Identity);
    return [connection];
  });
}

/** The platform a podman service runs on, from its `podman info --format json` (`host.os`, `host.arch`, `host.variant`). */
export function parseInfoPlatform(output: string): Platform {
  let info: { host?: { os?: unknown; arch?: unknown; variant?: unknown } };
  try {
    info = JSON.parse(output) as typeof info;
  } catch {
    throw new Error(`Could not read podman info: no JSON (${output.trim().split('\n')[0]?.slice(0, 120) ?? ''})`);
  }
  const architecture = text(info.host?.arch);
  if (architecture === '') throw new Error('podman info names no architecture (host.arch)');
  const platform: Platform = { os: text(info.host?.os) || 'linux', architecture };
  if (text(info.host?.variant) !== '') platform.variant = text(info.host?.variant);
  return platform;
}

/** `linux/amd64`, `linux/arm64/v8`. */
export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, ...(platform.variant ? [platform.variant] : [])].join('/');
}

/** Parses `os/arch[/variant]`; undefined when it is not one (`linux`, `linux/`, `a/b/c/d`). */
export function parsePlatform(value: string): Platform | undefined {
  const parts = value.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((part) => !/^[a-z0-9_.-]+$/i.test(part))) return undefined;
  const platform: Platform = { os: parts[0].toLowerCase(), architecture: parts[1].toLowerCase() };
  if (parts[2]) platform.variant = parts[2].toLowerCase();
  return platform;
}

/** The platforms of a manifest list (`podman manifest inspect REF`), in its order; empty for a single image. */
export function parseManifestPlatforms(output: string): Platform[] {
  let manifest: { manifests?: unknown };
  try {
    manifest = JSON.parse(output) as typeof manifest;
  } catch {
    throw new Error(`Could not read the manifest list: podman printed no JSON (${output.trim().split('\n')[0]?.slice(0, 120) ?? ''})`);
  }
  if (!Array.isArray(manifest.manifests)) return [];
  return manifest.manifests.flatMap((entry: unknown) => {
    const platform = (entry as { platform?: { os?: unknown; architecture?: unknown; variant?: unknown } } | null)?.platform;
    if (!platform || text(platform.architecture) === '') return [];
    const result: Platform = { os: text(platform.os) || 'linux', architecture: text(platform.architecture) };
    if (text(platform.variant) !== '') result.variant = text(platform.variant);
    return [result];
  });
}

/** One line of `podman farm build`: from a node's build (`node` and `platform` set), or the farm's own. */
export interface FarmLine {
  /** The node (system connection) name, `(local)` for the local builder; undefined for the farm's own lines. */
  node?: string;
  /** The platform the node builds, as podman printed it (`linux/amd64`). */
  platform?: string;
  /** The line without its `[PLATFORM@NODE] ` prefix. */
  text: string;
}

const NODE_PREFIX = /^\[([^\]@\s]+)@([^\]\s]+)\] ?(.*)$/;

/** Splits a farm build line into its node and text (see {@link FarmLine}). */
export function demultiplexFarmLine(line: string): FarmLine {
  const match = NODE_PREFIX.exec(line);
  if (!match) return { text: line };
  return { platform: match[1], node: match[2], text: match[3] };
}

/** What the farm build said about one node's build: `finished build for [{linux amd64 }] at "node": built ID` or a failure. */
export interface NodeOutcome {
  node: string;
  /** `linux/amd64`. */
  platform: string;
  ok: boolean;
  imageId?: string;
  /** podman's error for this node. */
  error?: string;
}

/**
 * The per-node outcomes in a farm build's output: the `finished build for ... built ID` lines
 * and the `* building for "linux/amd64" on "node": ...` items of its final error.
 */
export function parseFarmOutcomes(lines: readonly string[]): NodeOutcome[] {
  const outcomes: NodeOutcome[] = [];
  for (const line of lines) {
    const finished = /^finished build for \[\{(\S+) (\S+) ?(\S*)\}\] at "([^"]+)": built ([0-9a-f]+)/.exec(line);
    if (finished) {
      outcomes.push({ node: finished[4], platform: [finished[1], finished[2], ...(finished[3] ? [finished[3]] : [])].join('/'), ok: true, imageId: finished[5] });
      continue;
    }
    const failed = /^\s*\* building for "([^"]+)" on "([^"]+)": (.*)$/.exec(line);
    if (failed) outcomes.push({ node: failed[2], platform: failed[1], ok: false, error: failed[3] });
  }
  return outcomes;
}
