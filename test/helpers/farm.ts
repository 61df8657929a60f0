import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { podmanFromSettings, type Podman } from '../../client/src/podman/tool';
import { ROOT } from './build';
import { tempTree } from './cli';
import { ensureBootcTestBase, podmanAvailable, podmanList, podmanSync } from './podman';

/**
 * The farm test environment of scripts/setup-farm-env.sh: podman 5 from a Debian trixie chroot
 * outside the repository (/var/cache/vscode-bootc/trixie) as the client (a wrapper executable,
 * used as bootc.podman.path), the same podman serving as the farm node over a unix socket
 * (connection "farm-node"), and a local registry on 127.0.0.1. Set up once per machine (about
 * a minute: debootstrap and apt-get), then reused: the node and the registry keep running
 * between test runs (`scripts/setup-farm-env.sh down` stops them). The client sees only the
 * share folder of the host: build contexts go there ({@link shareTree}).
 */
export interface FarmEnv {
  /** The wrapper that runs the chroot's podman 5. */
  podmanPath: string;
  /** A {@link Podman} for it (the wrapper brings the chroot's own configuration). */
  podman: Podman;
  /** `127.0.0.1:PORT`: plain HTTP, marked insecure in the chroot's registries.conf. */
  registry: string;
  /** The system connection of the node. */
  connectionName: string;
  /** Its destination (`unix:///run/podman/podman.sock`, a path inside the chroot). */
  connectionUri: string;
  /** The farm the script made with that node. */
  farmName: string;
  /** The host folder the client sees, read-only, at the same path. */
  share: string;
  /** The chroot's podman version (5.4.2). */
  version: string;
}

const SCRIPT = path.join(ROOT, 'scripts', 'setup-farm-env.sh');

/**
 * Why the farm tests cannot run here, or undefined when they can. Only a missing root or a
 * missing debootstrap (with no apt-get to install it) is a reason, and outside CI only: with
 * `CI` set this throws instead. Everything else that goes wrong is a failure of
 * {@link ensureFarmEnv}.
 */
export function farmEnvSkipReason(): string | undefined {
  let reason: string | undefined;
  if (process.platform !== 'linux') reason = 'the farm test environment is a Debian chroot: Linux only';
  else if (process.getuid?.() !== 0) reason = 'the farm test environment needs root (debootstrap, chroot, unshare, mount)';
  else if (!['/usr/sbin/debootstrap', '/usr/bin/apt-get'].some((tool) => fs.existsSync(tool))) reason = 'the farm test environment needs debootstrap (apt-get install debootstrap)';
  if (reason && process.env.CI) throw new Error(`CI must run the farm tests, but ${reason}`);
  return reason;
}

let cached: FarmEnv | undefined;

/**
 * Sets up (or finds running) the farm environment; throws with the script's last lines when it
 * cannot. Test files running in parallel may all call it: the script takes a lock, so the cold
 * setup happens once and the others find it warm.
 */
export function ensureFarmEnv(): FarmEnv {
  cached ??= setUp();
  return cached;
}

function setUp(): FarmEnv {
  const result = spawnSync('bash', [SCRIPT, 'up'], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (result.status !== 0) {
    const said = `${result.stderr ?? ''}`.trim().split('\n').slice(-6).join('\n') || result.error?.message || `exit ${result.status}`;
    throw new Error(`scripts/setup-farm-env.sh up failed:\n${said}`);
  }
  const values = Object.fromEntries(
    result.stdout
      .split('\n')
      .map((line) => /^([A-Z]+)=(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1], match[2]]),
  );
  for (const key of ['PODMAN', 'REGISTRY', 'CONNECTION', 'SOCKET', 'FARM', 'SHARE', 'VERSION']) {
    if (!values[key]) throw new Error(`scripts/setup-farm-env.sh printed no ${key}`);
  }
  return {
    podmanPath: values.PODMAN,
    podman: podmanFromSettings({ path: values.PODMAN, extraArgs: [], containersConf: '' }),
    registry: values.REGISTRY,
    connectionName: values.CONNECTION,
    connectionUri: values.SOCKET,
    farmName: values.FARM,
    share: values.SHARE,
    version: values.VERSION,
  };
}

/** A fresh folder with the given files in the environment's share folder, where the farm client can read them. */
export function shareTree(env: FarmEnv, files: Record<string, string | Uint8Array>): string {
  return tempTree(files, env.share);
}

let pushedBase: string | undefined;

/**
 * The tests' bootc-looking base image (test/helpers/podman.ts), pushed from the host's storage
 * to the local registry, so that farm nodes pull it as they would pull a real base image.
 * Returns its reference in the registry.
 */
export function pushTestBase(env: FarmEnv): string {
  if (pushedBase) return pushedBase;
  const skip = podmanAvailable();
  if (skip) throw new Error(`the host's podman is needed to push the test base image: ${skip}`);
  const base = ensureBootcTestBase();
  const reference = `${env.registry}/bootc-test-base:latest`;
  const pushed = podmanSync(['push', '--tls-verify=false', base, reference]);
  if (pushed.status !== 0) throw new Error(`pushing ${base} to ${reference} failed: ${pushed.stderr}`);
  pushedBase = reference;
  return reference;
}

/** The manifest (list) a registry serves for `repository:tag`, read over HTTP as a client would (no podman involved). */
export async function registryManifest(registry: string, repository: string, tag = 'latest'): Promise<{ mediaType?: string; manifests?: { platform?: { architecture?: string; os?: string } }[] }> {
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    headers: { Accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  if (!response.ok) throw new Error(`GET ${repository}:${tag} from ${registry}: HTTP ${response.status}`);
  return (await response.json()) as Awaited<ReturnType<typeof registryManifest>>;
}

/**
 * Removes a manifest list from the host's storage (the emulated fallback's output) and the
 * images it lists, which `podman manifest rm` leaves behind as dangling images.
 */
export function removeHostManifestList(reference: string): void {
  const inspected = podmanSync(['manifest', 'inspect', reference]);
  if (inspected.status !== 0) return;
  const digests = new Set(((JSON.parse(inspected.stdout) as { manifests?: { digest?: string }[] }).manifests ?? []).map((entry) => entry.digest));
  podmanSync(['manifest', 'rm', reference]);
  const images = podmanList(['images', '--digests', '--filter', 'dangling=true', '--format', '{{.ID}} {{.Digest}}'])
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([id, digest]) => id && digests.has(digest))
    .map(([id]) => id);
  if (images.length) podmanSync(['rmi', ...images]);
}
