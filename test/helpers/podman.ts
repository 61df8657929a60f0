/**
 * SALVAGED (mostly verbatim; `RECIPE_VERSION`, `testPodman` and `removeImages` bodies are
 * reconstructed — the rest was seen as written).
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { podmanFromSettings, type Podman } from '../../client/src/podman/tool';

/**
 * Real podman for the integration and end-to-end tests: whether it is there, the
 * containers.conf this test machine needs, and a local bootc-looking base image (no registry
 * is reachable here).
 */

export const ROOT = path.resolve(__dirname, '..', '..');

/** The local base image the tests build FROM: busybox, a kernel directory and the `containers.bootc=1` label. */
export const TEST_BASE_IMAGE = 'localhost/bootc-test-base:latest';

/** What the base image's /sbin/init (busybox init) prints when it boots. */
export const BOOT_LINE = 'bootc-test-base: booted with busybox init';

/** The kernel version directory under /usr/lib/modules of the base image. */
export const TEST_KERNEL_VERSION = '6.1.0-bootc-test';

/** Bumped when {@link writeRootfs} changes, so that machines rebuild the image. (reconstructed) */
const RECIPE_VERSION = 'bootc-test-base v3';

/** The stand-in for `bootc` (another test fixture), copied to /usr/bin/bootc when it exists. */
const BOOTC_STAND_IN = path.join(ROOT, 'test', 'fixtures', 'stand-ins', 'bootc');
const HOST_BUSYBOX = '/bin/busybox';
const CACHE = path.join(ROOT, '.test-output', 'podman');

let availability: string | undefined | null = null;

/**
 * Undefined when podman can run here, else the reason to skip. With `CI` set a missing
 * podman is a failure: this throws instead of returning a skip reason.
 */
export function podmanAvailable(): string | undefined {
  if (availability === null) {
    const probe = spawnSync('podman', ['--version'], { encoding: 'utf8' });
    availability = probe.status === 0 ? undefined : `podman is not installed here (${probe.error?.message ?? probe.stderr.trim()})`;
    if (availability === undefined && !fs.existsSync(HOST_BUSYBOX)) availability = `${HOST_BUSYBOX} is missing (Debian: apt-get install busybox-static); the test base image needs it`;
  }
  if (availability !== undefined && process.env.CI) throw new Error(`CI must run the podman tests, but ${availability}`);
  return availability;
}

/**
 * Writes the containers.conf that makes `podman run` work on these test machines (see
 * ENVIRONMENT.md: rlimits podman may not raise, crun and the hybrid cgroup layout) and
 * returns its path. `nofile` is this machine's hard limit of open files.
 */
export function testContainersConf(): string {
  const nofile = hardOpenFileLimit();
  const runtime = spawnSync('runc', ['--version']).status === 0 ? 'runtime = "runc"\n' : '';
  const text = `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=32768:32768"]\n[engine]\n${runtime}cgroup_manager = "cgroupfs"\n`;
  const file = path.join(CACHE, 'containers.conf');
  fs.mkdirSync(CACHE, { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
    // Written aside and renamed: test files running in parallel may read it meanwhile.
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  }
  return file;
}

/** The hard limit of open files of this process, from /proc/self/limits (else `ulimit -Hn`). */
function hardOpenFileLimit(): number {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const hard = line?.trim().split(/\s+/)[4];
    if (hard && /^\d+$/.test(hard)) return Number(hard);
  } catch {
    // Not Linux: ask the shell.
  }
  const fromShell = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return /^\d+$/.test(fromShell) ? Number(fromShell) : 1024;
}

/** The {@link Podman} the tests drive: podman from PATH with the test containers.conf. (reconstructed body) */
export function testPodman(): Podman {
  return podmanFromSettings({ path: 'podman', extraArgs: [], containersConf: testContainersConf() });
}

export function podmanSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('podman', args, { encoding: 'utf8', env: { ...process.env, CONTAINERS_CONF: testContainersConf() } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** A name no other test uses: `localhost/bootc-test-<purpose>-<random>:latest`. */
export function uniqueImageName(purpose: string): string {
  return `localhost/bootc-test-${purpose}-${createHash('sha256').update(`${process.pid}-${Date.now()}-${Math.random()}`).digest('hex').slice(0, 10)}:latest`;
}

/** Removes test images (missing ones are ignored). (reconstructed body) */
export function removeImages(...images: string[]): void {
  if (images.length > 0) podmanSync(['rmi', '--force', '--ignore', ...images]);
}

let verifiedRecipe: string | undefined;

/**
 * Makes sure {@link TEST_BASE_IMAGE} exists and matches this recipe (a label holds the hash of
 * {@link RECIPE_VERSION}, the stand-in and busybox, so a change rebuilds it); returns its
 * name. Built with `podman import` from a busybox-static rootfs in under a second:
 * `/bin/busybox` with a link for every applet, `/sbin/init` (busybox init) whose /etc/inittab
 * prints {@link BOOT_LINE} and keeps running, a kernel under /usr/lib/modules, the
 * directories of a bootc base image, the stand-in `bootc` at /usr/bin/bootc when it exists,
 * and `containers.bootc=1`.
 */
export function ensureBootcTestBase(): string {
  const standIn = fs.existsSync(BOOTC_STAND_IN) ? fs.readFileSync(BOOTC_STAND_IN) : undefined;
  const recipe = createHash('sha256').update(RECIPE_VERSION).update(standIn ?? 'no stand-in').update(fs.readFileSync(HOST_BUSYBOX)).digest('hex').slice(0, 16);
  if (verifiedRecipe === recipe) return TEST_BASE_IMAGE;
  const current = podmanSync(['image', 'inspect', '--format', '{{ index .Labels "bootc.test.recipe" }}', TEST_BASE_IMAGE]);
  // The label says which recipe built it; running it proves its layer is still intact in the storage
  // (a test that mounts image layers, such as the stand-in builder's, must not have damaged it).
  if (current.status === 0 && current.stdout.trim() === recipe && podmanSync(['run', '--rm', '--network', 'none', TEST_BASE_IMAGE, '/bin/true']).status === 0) {
    verifiedRecipe = recipe;
    return TEST_BASE_IMAGE;
  }
  if (current.status === 0) podmanSync(['rmi', '--force', TEST_BASE_IMAGE]);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-test-base-'));
  try {
    const rootfs = path.join(work, 'rootfs');
    writeRootfs(rootfs, standIn);
    const tarball = path.join(work, 'rootfs.tar');
    execFileSync('tar', ['-C', rootfs, '--numeric-owner', '--owner=0', '--group=0', '-cf', tarball, '.']);
    // Parallel test files may import at once; the tag then goes to whichever finishes last, with the same content.
    const imported = podmanSync([
      'import',
      '--change',
      'LABEL containers.bootc=1',
      '--change',
      `LABEL bootc.test.recipe=${recipe}`,
      '--change',
      'CMD ["/bin/sh"]',
      // podman stops a container started with /sbin/init with SIGRTMIN+3, which only systemd handles; busybox init halts on SIGTERM.
      '--change',
      'STOPSIGNAL SIGTERM',
      tarball,
      TEST_BASE_IMAGE,
    ]);
    if (imported.status !== 0) throw new Error(`podman import of the test base image failed: ${imported.stderr}`);
    verifiedRecipe = recipe;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return TEST_BASE_IMAGE;
}

function writeRootfs(rootfs: string, standIn: Buffer | undefined): void {
  const dirs = ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'dev', 'proc', 'sys', 'run', 'tmp', 'var/log', 'var/tmp', 'root', 'boot', 'sysroot', 'usr/lib/ostree', `usr/lib/modules/${TEST_KERNEL_VERSION}`];
  for (const dir of dirs) fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
  fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  fs.copyFileSync(HOST_BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
  fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(HOST_BUSYBOX, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    const link = path.join(rootfs, applet);
    if (applet === 'bin/busybox' || fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync('/bin/busybox', link);
  }
  // The image's real /sbin/init, as a bootc image's systemd would be: busybox init reading /etc/inittab.
  if (!fs.existsSync(path.join(rootfs, 'sbin', 'init'))) fs.symlinkSync('/bin/busybox', path.join(rootfs, 'sbin', 'init'));
  fs.writeFileSync(path.join(rootfs, 'etc', 'inittab'), `::sysinit:/bin/echo ${BOOT_LINE}\n::respawn:/bin/sleep 2147483647\n::ctrlaltdel:/bin/true\n`);
  fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(rootfs, 'etc', 'group'), 'root:x:0:\n');
  // Declared as systemd's basic.conf does, so that bootc's sysusers lint passes on the base image.
  fs.mkdirSync(path.join(rootfs, 'usr/lib/sysusers.d'), { recursive: true });
  fs.writeFileSync(path.join(rootfs, 'usr/lib/sysusers.d/basic.conf'), 'g root 0\nu root 0:0 "Super User" /root\n');
  fs.writeFileSync(path.join(rootfs, 'etc', 'os-release'), 'ID=bootc-test\nNAME="bootc test base (busybox)"\n');
  fs.writeFileSync(path.join(rootfs, `usr/lib/modules/${TEST_KERNEL_VERSION}/vmlinuz`), 'not a real kernel: the test base image only looks like a bootc image\n');
  fs.writeFileSync(path.join(rootfs, 'usr/lib/ostree/prepare-root.conf'), '[composefs]\nenabled = yes\n');
  fs.symlinkSync('sysroot/ostree', path.join(rootfs, 'ostree'));
  if (standIn) {
    fs.writeFileSync(path.join(rootfs, 'usr', 'bin', 'bootc'), standIn);
    fs.chmodSync(path.join(rootfs, 'usr', 'bin', 'bootc'), 0o755);
  }
}
