import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './build';
import { ensureBootcTestBase, podmanAvailable, podmanSync } from './podman';

/**
 * The STAND-IN for bootc-image-builder used by the tests (the real builder image cannot be
 * pulled on the test machines). {@link ensureStandInBuilder} builds it once per machine from
 * test/fixtures/stand-ins/bootc-image-builder and tags it with the real builder's names, so the
 * extension's real command line runs it unchanged. It writes real, bootable disks: a Debian
 * kernel (downloaded once with `apt-get download`, cached under .cache/), a busybox initramfs,
 * ext4 and extlinux. Test fixture only, never shipped.
 */

/** The names the stand-in is tagged with: the builders the extension offers. */
export const STAND_IN_BUILDER_IMAGES = [
  'quay.io/centos-bootc/bootc-image-builder:latest',
  'registry.redhat.io/rhel9/bootc-image-builder:latest',
  'registry.redhat.io/rhel10/bootc-image-builder:latest',
] as const;

/** The default builder (the extension's default setting). */
export const STAND_IN_BUILDER = STAND_IN_BUILDER_IMAGES[0];

/**
 * The bootc image the disk tests turn into disks: the busybox test base image under a name of
 * its own, so that no other test's image is read (the stand-in mounts its layers) or replaced.
 */
export const DISK_TEST_IMAGE = 'localhost/bootc-disk-test-base:latest';

/** Makes sure {@link DISK_TEST_IMAGE} exists and is current; returns its name. */
export function ensureDiskTestImage(): string {
  return ensureBootcTestBase(DISK_TEST_IMAGE);
}

/** Raise it to rebuild existing stand-in images (a change to this file or the fixture already does). */
const RECIPE_VERSION = '1';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'stand-ins', 'bootc-image-builder');
/** Downloads kept between runs (gitignored), so that a second run needs no network. */
const CACHE = path.join(ROOT, '.cache', 'bib-stand-in');
const LOCK = path.join(ROOT, '.test-output', 'bib-stand-in.lock');
/**
 * The stand-in images this checkout built, one id or name a line: only these are removed when
 * a new recipe replaces them (the container storage may be shared with other checkouts).
 */
const BUILT = path.join(CACHE, 'built-images');
const LOCK_STALE_MS = 15 * 60 * 1000;
const BASE_IMAGE = 'localhost/bib-stand-in-base';
const MBR = '/usr/lib/syslinux/mbr/mbr.bin';
/** What the ISO types boot with (isolinux, its ldlinux module, the hybrid MBR). */
const ISOLINUX_FILES = ['/usr/lib/ISOLINUX/isolinux.bin', '/usr/lib/syslinux/modules/bios/ldlinux.c32', '/usr/lib/ISOLINUX/isohdpfx.bin'];

/**
 * Modules the initramfs loads (with their dependencies, resolved from the kernel package):
 * virtio and ATA disks, ext4 and the checksum it may ask for.
 */
const INITRAMFS_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_scsi', 'ata_piix', 'ahci', 'sd_mod', 'crc32c_generic', 'ext4'];

/** Programs copied from this machine into the stand-in (with their libraries); `optional` ones only when present. */
const TOOLS: { name: string; optional?: boolean }[] = [
  { name: 'podman' },
  // podman checks for its container monitor and an OCI runtime even to inspect an image.
  { name: 'conmon' },
  { name: 'runc', optional: true },
  { name: 'crun', optional: true },
  { name: 'sfdisk' },
  { name: 'mount' },
  { name: 'umount' },
  { name: 'mke2fs' },
  { name: 'extlinux' },
  { name: 'qemu-img' },
  { name: 'xorriso' },
  { name: 'tar' },
  { name: 'jq', optional: true },
];

/** Debian packages the stand-in is assembled from (scripts/setup.sh installs them). */
export const STAND_IN_PACKAGES = ['podman', 'conmon', 'busybox-static', 'fdisk', 'mount', 'e2fsprogs', 'extlinux', 'syslinux-common', 'isolinux', 'xorriso', 'qemu-utils', 'kmod', 'tar', 'jq'];

let availability: string | undefined | null = null;

/**
 * Undefined when the stand-in can be built and run here, else the reason to skip. With `CI`
 * set this throws instead: CI must run these tests.
 */
export function standInBuilderAvailable(): string | undefined {
  if (availability === null) availability = podmanAvailable() ?? missingTools();
  if (availability !== undefined && process.env.CI) throw new Error(`CI must run the bootc-image-builder stand-in tests, but ${availability}`);
  return availability;
}

function missingTools(): string | undefined {
  if (process.getuid?.() !== 0) return 'the bootc-image-builder stand-in needs rootful podman (run the tests as root)';
  const missing = [...TOOLS.filter((t) => !t.optional).map((t) => t.name), 'busybox', 'modinfo', 'dpkg-deb'].filter((tool) => which(tool) === undefined);
  for (const file of [MBR, ...ISOLINUX_FILES]) if (!fs.existsSync(file)) missing.push(file);
  if (missing.length > 0) return `missing for the bootc-image-builder stand-in: ${missing.join(', ')} (Debian: apt-get install ${STAND_IN_PACKAGES.join(' ')})`;
  if (cachedKernelPackage() === undefined && which('apt-get') === undefined) return 'no cached Debian kernel package and no apt-get to download one';
  return undefined;
}

/** The absolute path of a program on PATH (plus the sbin directories), or undefined. */
function which(program: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, program);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}`);
  return result.stdout;
}

// --- the Debian kernel -----------------------------------------------------------------------

function cachedKernelPackage(): string | undefined {
  if (!fs.existsSync(CACHE)) return undefined;
  const debs = fs.readdirSync(CACHE).filter((f) => /^linux-image-\d.*-amd64_.*\.deb$/.test(f)).sort();
  return debs.length > 0 ? path.join(CACHE, debs[debs.length - 1]) : undefined;
}

/**
 * The Debian kernel package, downloaded once into .cache/bib-stand-in: `linux-image-amd64`'s
 * versioned dependency (`linux-image-<abi>-amd64`), fetched with `apt-get download`.
 */
export function kernelPackage(): string {
  const cached = cachedKernelPackage();
  if (cached) return cached;
  fs.mkdirSync(CACHE, { recursive: true });
  const depends = run('apt-cache', ['depends', 'linux-image-amd64']);
  const versioned = /Depends:\s*(linux-image-\d\S*-amd64)/.exec(depends)?.[1];
  if (!versioned) throw new Error(`apt-cache depends linux-image-amd64 names no versioned kernel package (run apt-get update?):\n${depends}`);
  run('apt-get', ['download', versioned], { cwd: CACHE });
  const downloaded = cachedKernelPackage();
  if (!downloaded) throw new Error(`apt-get download ${versioned} left no .deb in ${CACHE}`);
  return downloaded;
}

/**
 * The kernel package unpacked (`dpkg-deb -x`) into `work`; returns the tree and the kernel
 * version. Not cached: 400 MB unpacked for a few seconds saved only when the image is rebuilt.
 */
function unpackedKernel(work: string): { tree: string; version: string } {
  const tree = path.join(work, 'kernel-package');
  run('dpkg-deb', ['-x', kernelPackage(), tree]);
  const modules = path.join(tree, 'lib', 'modules');
  const versions = fs.readdirSync(modules);
  if (versions.length !== 1) throw new Error(`expected one kernel version under ${modules}, found: ${versions.join(', ')}`);
  return { tree, version: versions[0] };
}

/** Every `.ko` under a directory, by module name (`-` and `_` are the same in module names). */
function moduleFiles(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ko')) found.set(entry.name.slice(0, -3).replace(/-/g, '_'), full);
    }
  };
  walk(dir);
  return found;
}

/**
 * Writes the kernel and the initramfs modules into `dir` (`vmlinuz`, `modules/*.ko`,
 * `modules/order`: dependencies before the modules that need them, from `modinfo -F depends`).
 * Modules built into the kernel are skipped.
 */
function writeKernel(dir: string, work: string): string {
  const { tree, version } = unpackedKernel(work);
  const modulesDir = path.join(tree, 'lib', 'modules', version);
  const files = moduleFiles(modulesDir);
  const builtin = new Set(
    fs
      .readFileSync(path.join(modulesDir, 'modules.builtin'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => path.basename(line, '.ko').replace(/-/g, '_')),
  );
  const order: string[] = [];
  const visit = (name: string, chain: string[]): void => {
    const key = name.replace(/-/g, '_');
    if (order.includes(key) || builtin.has(key)) return;
    if (chain.includes(key)) throw new Error(`module dependency cycle: ${[...chain, key].join(' -> ')}`);
    const file = files.get(key);
    if (!file) throw new Error(`kernel ${version} has no module ${key}`);
    const depends = run('modinfo', ['-F', 'depends', file]).trim();
    for (const dependency of depends ? depends.split(',') : []) visit(dependency, [...chain, key]);
    order.push(key);
  };
  for (const module of INITRAMFS_MODULES) visit(module, []);

  fs.mkdirSync(path.join(dir, 'modules'), { recursive: true });
  fs.copyFileSync(path.join(tree, 'boot', `vmlinuz-${version}`), path.join(dir, 'vmlinuz'));
  for (const module of order) fs.copyFileSync(files.get(module)!, path.join(dir, 'modules', `${module}.ko`));
  fs.writeFileSync(path.join(dir, 'modules', 'order'), order.map((m) => `${m}.ko\n`).join(''));
  fs.writeFileSync(path.join(dir, 'version'), `${version}\n`);
  return version;
}

// --- the stand-in's base rootfs (this machine's tools) ------------------------------------------

/** The shared libraries of a program, from `ldd` (absolute paths, the loader included). */
function libraries(program: string): string[] {
  const result = spawnSync('ldd', [program], { encoding: 'utf8' });
  if (result.status !== 0) return []; // static
  const libs: string[] = [];
  for (const line of result.stdout.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match) libs.push(match[1]);
  }
  return libs;
}

/** Copies a file to the same path under `rootfs`, following symlinks. */
function copyInto(rootfs: string, file: string, mode?: number): void {
  const target = path.join(rootfs, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(fs.realpathSync(file), target);
  fs.chmodSync(target, mode ?? fs.statSync(fs.realpathSync(file)).mode & 0o7777);
}

/**
 * The base rootfs: busybox with all applets, the {@link TOOLS} with their libraries, mkfs.ext4,
 * extlinux's mbr.bin, and podman's configuration (to read the mounted host storage).
 */
function writeBaseRootfs(rootfs: string): void {
  for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'lib', 'lib64', 'etc/containers', 'tmp', 'var/tmp', 'run', 'proc', 'sys', 'dev', 'output', 'store', 'rpmmd', 'usr/lib/bib-stand-in']) {
    fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
  }
  fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  fs.chmodSync(path.join(rootfs, 'var/tmp'), 0o1777);
  copyInto(rootfs, '/bin/busybox', 0o755);
  for (const applet of execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    const link = path.join(rootfs, applet);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync('/bin/busybox', link);
  }
  const programs = new Set<string>();
  for (const tool of TOOLS) {
    const found = which(tool.name);
    if (!found) {
      if (tool.optional) continue;
      throw new Error(`${tool.name} is missing (Debian: apt-get install ${STAND_IN_PACKAGES.join(' ')})`);
    }
    programs.add(found);
  }
  for (const program of programs) {
    // Replaces busybox's applet of the same name: the stand-in wants util-linux's mount (loop,offset) and GNU tar (--sparse).
    for (const dir of ['bin', 'sbin', 'usr/bin', 'usr/sbin']) {
      const applet = path.join(rootfs, dir, path.basename(program));
      if (fs.lstatSync(applet, { throwIfNoEntry: false })?.isSymbolicLink()) fs.rmSync(applet);
    }
    fs.rmSync(path.join(rootfs, program), { force: true });
    copyInto(rootfs, program, 0o755);
    for (const lib of libraries(program)) if (!fs.existsSync(path.join(rootfs, lib))) copyInto(rootfs, lib);
  }
  // The image's busybox shell runs its own applets before PATH (tar among them): GNU tar is
  // called through this fixed path.
  fs.mkdirSync(path.join(rootfs, 'usr/lib/bib-stand-in/bin'), { recursive: true });
  fs.symlinkSync(which('tar')!, path.join(rootfs, 'usr/lib/bib-stand-in/bin/tar'));
  const mke2fs = which('mke2fs')!;
  fs.symlinkSync(path.basename(mke2fs), path.join(path.dirname(path.join(rootfs, mke2fs)), 'mkfs.ext4'));
  fs.copyFileSync(MBR, path.join(rootfs, 'usr/lib/bib-stand-in/mbr.bin'));
  fs.mkdirSync(path.join(rootfs, 'usr/lib/bib-stand-in/isolinux'));
  for (const file of ISOLINUX_FILES) fs.copyFileSync(file, path.join(rootfs, 'usr/lib/bib-stand-in/isolinux', path.basename(file)));
  for (const conf of ['/etc/containers/storage.conf', '/usr/share/containers/storage.conf', '/etc/containers/policy.json', '/etc/containers/registries.conf']) {
    if (fs.existsSync(conf)) copyInto(rootfs, conf, 0o644);
  }
  fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\n');
}

// --- building and tagging -----------------------------------------------------------------------

function recipeHash(): string {
  // This file assembles the image: a change to it rebuilds the image too.
  const hash = createHash('sha256').update(RECIPE_VERSION).update(fs.readFileSync(__filename));
  for (const file of fs.readdirSync(FIXTURE).sort()) hash.update(file).update(fs.readFileSync(path.join(FIXTURE, file)));
  hash.update(path.basename(cachedKernelPackage() ?? 'kernel not downloaded yet'));
  for (const tool of [...TOOLS.map((t) => t.name), 'busybox']) {
    const found = which(tool);
    hash.update(tool).update(found ? fs.readFileSync(found) : 'absent');
  }
  return hash.digest('hex').slice(0, 16);
}

function currentRecipe(image: string): string | undefined {
  const inspected = podmanSync(['image', 'inspect', '--format', '{{ index .Labels "bootc.test.recipe" }}', image]);
  return inspected.status === 0 ? inspected.stdout.trim() : undefined;
}

/** Serializes the build between test files running in parallel processes. */
function withLock<T>(fn: () => T): T {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() - started > LOCK_STALE_MS) throw new Error(`timed out waiting for ${LOCK}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Makes sure the stand-in builder image exists under every name of
 * {@link STAND_IN_BUILDER_IMAGES} and matches this recipe (a label holds the hash of the
 * fixture, the kernel package and the copied tools); returns {@link STAND_IN_BUILDER}.
 * The first run downloads the Debian kernel (about 70 MB, then cached); later runs take no
 * time when nothing changed.
 */
export function ensureStandInBuilder(): string {
  const unavailable = standInBuilderAvailable();
  if (unavailable) throw new Error(unavailable);
  return withLock(() => {
    kernelPackage();
    const recipe = recipeHash();
    if (STAND_IN_BUILDER_IMAGES.every((image) => currentRecipe(image) === recipe)) return STAND_IN_BUILDER;

    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bib-stand-in-'));
    try {
      const rootfs = path.join(work, 'rootfs');
      writeBaseRootfs(rootfs);
      const tarball = path.join(work, 'rootfs.tar');
      run('tar', ['-C', rootfs, '--numeric-owner', '--owner=0', '--group=0', '-cf', tarball, '.']);
      const base = `${BASE_IMAGE}:${recipe}`;
      const imported = podmanSync(['import', tarball, base]);
      if (imported.status !== 0) throw new Error(`podman import of the stand-in base failed: ${imported.stderr}`);
      fs.mkdirSync(CACHE, { recursive: true });
      fs.appendFileSync(BUILT, `${base}\n`);

      const context = path.join(work, 'context');
      fs.mkdirSync(context);
      writeKernel(path.join(context, 'kernel'), work);
      fs.copyFileSync(path.join(FIXTURE, 'entrypoint.sh'), path.join(context, 'entrypoint.sh'));
      fs.chmodSync(path.join(context, 'entrypoint.sh'), 0o755);
      const built = new Set(fs.existsSync(BUILT) ? fs.readFileSync(BUILT, 'utf8').split('\n').filter(Boolean) : []);
      const previous = new Set(STAND_IN_BUILDER_IMAGES.map((image) => podmanSync(['image', 'inspect', '--format', '{{.Id}}', image]).stdout.trim()).filter((id) => built.has(id)));
      const tags = STAND_IN_BUILDER_IMAGES.flatMap((image) => ['--tag', image]);
      const result = podmanSync(['build', '--pull=never', '--layers=false', '--build-arg', `BASE=${base}`, '--label', `bootc.test.recipe=${recipe}`, ...tags, '--file', path.join(FIXTURE, 'Containerfile'), context]);
      if (result.status !== 0) throw new Error(`podman build of the bootc-image-builder stand-in failed:\n${result.stdout}\n${result.stderr}`);
      const id = podmanSync(['image', 'inspect', '--format', '{{.Id}}', STAND_IN_BUILDER]).stdout.trim();
      fs.appendFileSync(BUILT, `${id}\n`);
      // The images of older recipes built here lost their tags: remove them (a failure only means one is still in use).
      if (previous.size > 0) podmanSync(['rmi', ...previous]);
      const old = podmanSync(['images', '--format', '{{.Repository}}:{{.Tag}}', BASE_IMAGE]).stdout.split('\n').filter((name) => name && name !== base && built.has(name));
      if (old.length > 0) podmanSync(['rmi', ...old]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    return STAND_IN_BUILDER;
  });
}

/**
 * The builder command line the extension runs for the real bootc-image-builder (rootful,
 * privileged, host storage, output and config mounts), for tests that drive the stand-in
 * by hand.
 */
export function builderRunArgs(options: { builder?: string; output: string; config?: string; types?: string[]; rootfs?: string; chown?: string; image: string; extra?: string[] }): string[] {
  const args = ['run', '--rm', '--privileged', '--pull=newer', '--security-opt', 'label=type:unconfined_t', '-v', '/var/lib/containers/storage:/var/lib/containers/storage', '-v', `${options.output}:/output`];
  if (options.config) args.push('-v', `${options.config}:/config.toml:ro`);
  args.push(options.builder ?? STAND_IN_BUILDER);
  for (const type of options.types ?? ['qcow2']) args.push('--type', type);
  args.push('--rootfs', options.rootfs ?? 'ext4');
  if (options.chown) args.push('--chown', options.chown);
  args.push(...(options.extra ?? []), options.image);
  return args;
}
