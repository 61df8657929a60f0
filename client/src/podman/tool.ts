/**
 * Finding podman and checking it can do what the extension asks: the executable from
 * `bootc.podman.path`, global options from `bootc.podman.extraArgs`, `CONTAINERS_CONF` from
 * `bootc.podman.containersConf`, its version, and how to install it when it is missing.
 * No `vscode` import.
 */
import { readFileSync } from 'node:fs';
import { runProcess, spawnStreaming, ToolMissingError, type ProcessResult, type RunningProcess, type RunOptions } from '../process';

/** podman 4 brought the build features the commands use (`--secret`, stage-numbered STEP lines, `--build-context`). */
export const MINIMUM_PODMAN_VERSION = '4.0.0';

/** How to start podman; every podman process of the extension is started from one of these. */
export interface Podman {
  /** The executable: a name looked up on PATH or an absolute path. */
  path: string;
  /** Global options, put before the subcommand (`--connection x`, `--root /y`). */
  globalArgs: string[];
  /** The whole environment of podman processes. */
  env: NodeJS.ProcessEnv;
}

/** The `bootc.podman.*` settings (the `podman` part of server/src/settings.ts's BootcSettings). */
export interface PodmanSettings {
  path: string;
  extraArgs: readonly string[];
  /** A containers.conf for `CONTAINERS_CONF`; empty for podman's own configuration. */
  containersConf: string;
}

/** Builds the {@link Podman} of the settings; `baseEnv` is this process's environment unless given. */
export function podmanFromSettings(settings: PodmanSettings, baseEnv: NodeJS.ProcessEnv = process.env): Podman {
  const env = { ...baseEnv };
  if (settings.containersConf.trim() !== '') env.CONTAINERS_CONF = settings.containersConf.trim();
  return { path: settings.path.trim() || 'podman', globalArgs: [...settings.extraArgs], env };
}

/** podman exists but is older than {@link MINIMUM_PODMAN_VERSION}. */
export class PodmanTooOldError extends Error {
  constructor(readonly version: string) {
    super(`podman ${version} is too old: the bootc commands need podman ${MINIMUM_PODMAN_VERSION} or newer. ${upgradeHint()}`);
    this.name = 'PodmanTooOldError';
  }
}

/**
 * Runs `podman <global args> <args>` to its end. A missing podman becomes a
 * {@link ToolMissingError} whose hint says how to install it on this platform.
 */
export async function runPodman(podman: Podman, args: readonly string[], options: Omit<RunOptions, 'env'> = {}): Promise<ProcessResult> {
  try {
    return await runProcess(podman.path, [...podman.globalArgs, ...args], { ...options, env: podman.env });
  } catch (error) {
    throw withInstallHint(error, podman);
  }
}

/** Starts a long-running podman process (`logs -f`), as {@link runPodman} does. */
export function spawnPodman(podman: Podman, args: readonly string[], options: Omit<RunOptions, 'env'> = {}): RunningProcess {
  const running = spawnStreaming(podman.path, [...podman.globalArgs, ...args], { ...options, env: podman.env });
  const result = running.result.catch((error: unknown) => {
    throw withInstallHint(error, podman);
  });
  return { result, pid: running.pid, kill: () => running.kill() };
}

function withInstallHint(error: unknown, podman: Podman): unknown {
  if (!(error instanceof ToolMissingError)) return error;
  const configured = podman.path !== 'podman' ? ` (bootc.podman.path is "${podman.path}")` : '';
  return new ToolMissingError('podman', `${podmanInstallHint()}${configured}`);
}

/**
 * Checks that podman runs and is new enough; resolves with its version. Rejects with a
 * {@link ToolMissingError} (with the install hint), a {@link PodmanTooOldError}, or an
 * Error carrying podman's own message (a podman machine that is not started, say).
 */
export async function checkPodman(podman: Podman, signal?: AbortSignal): Promise<string> {
  // `podman version` also asks the service, which fails while a podman machine is stopped; the client part still answers.
  const json = await runPodman(podman, ['version', '--format', 'json'], { signal });
  let version = parsePodmanVersion(json.stdout);
  if (!version) {
    const plain = await runPodman(podman, ['--version'], { signal });
    version = parsePodmanVersion(plain.stdout);
    if (!version) {
      const said = (json.stderr || plain.stderr).trim().split('\n').pop();
      throw new Error(`Could not run podman (${podman.path}): ${said || `exit code ${plain.exitCode}`}`);
    }
  }
  if (compareVersions(version, MINIMUM_PODMAN_VERSION) < 0) throw new PodmanTooOldError(version);
  return version;
}

/** The client version from `podman version --format json` (`{"Client": {"Version": "4.3.1"}}`) or `podman --version` (`podman version 4.3.1`). */
export function parsePodmanVersion(output: string): string | undefined {
  const text = output.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { Client?: { Version?: unknown }; Version?: unknown };
      const version = parsed.Client?.Version ?? parsed.Version;
      if (typeof version === 'string' && /^\d+\.\d+/.test(version)) return version;
    } catch {
      // Not JSON after all: try the plain form.
    }
  }
  return /\bversion (\d+\.\d+(?:\.\d+)?[\w.+~-]*)/i.exec(text)?.[1];
}

/** Compares dotted versions numerically (`4.10.0` > `4.9.3`); suffixes such as `-dev` are ignored. */
export function compareVersions(a: string, b: string): number {
  const numbers = (version: string) => version.split(/[^\d.]/)[0].split('.').map((part) => Number(part) || 0);
  const [left, right] = [numbers(a), numbers(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The Linux distribution family from /etc/os-release (`ID` and `ID_LIKE`). */
function linuxFamily(osRelease: string | undefined): 'fedora' | 'debian' | 'suse' | 'arch' | undefined {
  if (osRelease === undefined) return undefined;
  const ids = [...osRelease.matchAll(/^(?:ID|ID_LIKE)=["']?([^"'\n]*)/gm)].flatMap((match) => match[1].toLowerCase().split(/\s+/));
  if (ids.some((id) => ['fedora', 'rhel', 'centos', 'rocky', 'almalinux'].includes(id))) return 'fedora';
  if (ids.some((id) => ['debian', 'ubuntu'].includes(id))) return 'debian';
  if (ids.some((id) => id.includes('suse'))) return 'suse';
  if (ids.includes('arch')) return 'arch';
  return undefined;
}

function readOsRelease(): string | undefined {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return undefined;
  }
}

const INSTALL_PAGE = 'https://podman.io/docs/installation';

/**
 * How to install podman here: the package manager of the Linux distribution, Homebrew and a
 * podman machine on macOS, winget and a podman machine on Windows; always ending with the
 * setting that points at an installed podman.
 */
export function podmanInstallHint(platform: NodeJS.Platform = process.platform, osRelease: string | undefined = platform === 'linux' ? readOsRelease() : undefined): string {
  const setting = 'or set bootc.podman.path to the podman executable.';
  const machine = 'then create and start its virtual machine: podman machine init && podman machine start';
  switch (platform) {
    case 'darwin':
      return `Install it with Homebrew (brew install podman), ${machine}; ${setting}`;
    case 'win32':
      return `Install it with winget install RedHat.Podman (or from ${INSTALL_PAGE}), ${machine}; ${setting}`;
    case 'linux':
      switch (linuxFamily(osRelease)) {
        case 'fedora':
          return `Install it with sudo dnf install -y podman, ${setting}`;
        case 'debian':
          return `Install it with sudo apt-get install -y podman, ${setting}`;
        case 'suse':
          return `Install it with sudo zypper install podman, ${setting}`;
        case 'arch':
          return `Install it with sudo pacman -S podman, ${setting}`;
        default:
          return `Install podman from your distribution's packages (see ${INSTALL_PAGE}), ${setting}`;
      }
    default:
      return `Install podman (see ${INSTALL_PAGE}), ${setting}`;
  }
}

function upgradeHint(): string {
  return `Upgrade it (see ${INSTALL_PAGE}), or set bootc.podman.path to a newer podman.`;
}
