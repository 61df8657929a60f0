import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builderRunArgs, ensureDiskTestImage, ensureStandInBuilder, STAND_IN_BUILDER, STAND_IN_BUILDER_IMAGES, standInBuilderAvailable } from '../helpers/bib';
import { BOOT_LINE, podmanSync, removeImages, testContainersConf, uniqueImageName } from '../helpers/podman';
import { bootDisk, detectAcceleration, LOGIN_PATTERN, processExists, qemuAvailable, type BootedVm } from '../helpers/qemu';

/**
 * The STAND-IN for bootc-image-builder (test/fixtures/stand-ins/bootc-image-builder) run
 * through the real builder's command line, and its disks booted in real qemu to a login line
 * on the serial console. What the disk tests of the extension stand on.
 */

const skip = standInBuilderAvailable() ?? qemuAvailable();
const USER = 'alice';
const PASSWORD = 'stand-in-Passw0rd';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBootcStandInTestKeyOnlyForTests test@bootc';
/** A safety net for each answer on the serial console, not a timed assertion. */
const PROMPT_MS = 60_000;
const CHOWN = { uid: 1234, gid: 2345 };
const folders: string[] = [];
const images: string[] = [];
const vms: BootedVm[] = [];
let base: string;
let config: string;

function tempFolder(purpose: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bootc-test-bib-${purpose}-`));
  folders.push(folder);
  return folder;
}

function writeConfig(text: string): string {
  const file = path.join(tempFolder('config'), 'config.toml');
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** Runs the builder exactly as the extension does for the real one. */
function build(options: { output: string; types?: string[]; config?: string; extra?: string[]; image?: string; args?: string[] }): { status: number | null; stdout: string; stderr: string } {
  const args = options.args ?? builderRunArgs({ output: options.output, config: options.config, types: options.types, chown: `${CHOWN.uid}:${CHOWN.gid}`, image: options.image ?? base, extra: options.extra });
  return podmanSync(args);
}

function qemuImgFormat(file: string): string {
  const info = spawnSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' });
  assert.equal(info.status, 0, info.stderr);
  return (JSON.parse(info.stdout) as { format: string }).format;
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function qemuProcessesFor(needle: string): string[] {
  const found = spawnSync('pgrep', ['-a', '-f', needle], { encoding: 'utf8' });
  return found.stdout.split('\n').filter((line) => line.includes('qemu-system'));
}

async function stopAndCheck(vm: BootedVm): Promise<void> {
  await vm.stop();
  vms.splice(vms.indexOf(vm), 1);
  assert.equal(processExists(vm.pid), false, `qemu ${vm.pid} still runs after stop()`);
  assert.deepEqual(qemuProcessesFor(`hostfwd=tcp:127.0.0.1:${vm.sshPort}-`), [], 'a qemu process is left behind');
}

describe('bootc-image-builder stand-in and qemu', { skip, concurrency: false }, () => {
  before(() => {
    base = ensureDiskTestImage();
    ensureStandInBuilder();
    config = writeConfig(`[[customizations.user]]\nname = "${USER}"\npassword = "${PASSWORD}"\nkey = "${KEY}"\ngroups = ["wheel"]\n\n[customizations.kernel]\nappend = "bootc.test=stand-in"\n`);
  });

  after(async () => {
    for (const vm of [...vms]) await vm.stop();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
    removeImages(...images);
  });

  it('is tagged with every builder name the extension offers, as a stand-in', () => {
    for (const image of STAND_IN_BUILDER_IMAGES) {
      const inspected = podmanSync(['image', 'inspect', '--format', '{{ index .Labels "description" }}|{{ index .Config.Entrypoint 0 }}|{{ .Config.WorkingDir }}', image]);
      assert.equal(inspected.status, 0, inspected.stderr);
      const [description, entrypoint, workdir] = inspected.stdout.trim().split('|');
      assert.match(description, /STAND-IN/);
      assert.equal(entrypoint, '/usr/bin/bootc-image-builder');
      assert.equal(workdir, '/output');
    }
  });

  it('builds a qcow2 through the real command line, owned per --chown, that boots to a login line and takes the config user', async () => {
    const output = tempFolder('qcow2');
    const result = build({ output, config });
    assert.equal(result.status, 0, `builder failed:\n${result.stderr}`);
    for (const line of ['Generating manifest manifest-qcow2.json', 'Manifest generation step', 'Disk image building step', 'Build complete!']) assert.ok(result.stderr.includes(line), `progress line "${line}" missing:\n${result.stderr}`);
    assert.match(result.stdout, /manifest - finished successfully/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD), 'the password appears in the builder output');

    const disk = path.join(output, 'qcow2', 'disk.qcow2');
    for (const file of [output, disk, path.join(output, 'manifest-qcow2.json')]) {
      const stat = fs.statSync(file);
      assert.deepEqual({ uid: stat.uid, gid: stat.gid }, CHOWN, `${file} is not owned per --chown`);
    }
    assert.equal(qemuImgFormat(disk), 'qcow2');
    const before = sha256(disk);

    const vm = await bootDisk(disk);
    vms.push(vm);
    assert.match(vm.loginLine, LOGIN_PATTERN);
    assert.ok(vm.serial.includes(BOOT_LINE), 'the image\'s own init did not run');
    assert.ok(vm.serial.some((line) => line.includes('Linux version')), 'no kernel output on the serial console');
    assert.ok(vm.timings.firstOutputMs <= vm.timings.loginMs);
    assert.equal(vm.acceleration.accel, detectAcceleration().accel);

    // The user from config.toml logs in with its password; its key and kernel argument are there.
    // Each answer is awaited from before its question is typed: it may come in the same chunk.
    const password = vm.waitFor(/Password: ?$/, { prompt: true, giveUpMs: PROMPT_MS });
    vm.write(`${USER}\n`);
    await password;
    const prompt = vm.waitFor(/\$ ?$/, { prompt: true, giveUpMs: PROMPT_MS });
    vm.write(`${PASSWORD}\n`);
    await prompt;
    const identity = vm.waitFor(/^uid=\d+ groups=/, { giveUpMs: PROMPT_MS });
    const key = vm.waitFor(new RegExp(`^${KEY.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), { giveUpMs: PROMPT_MS });
    const cmdline = vm.waitFor(/bootc\.test=stand-in/, { giveUpMs: PROMPT_MS });
    vm.write('echo "uid=$(id -u) groups=$(id -Gn)"; cat ~/.ssh/authorized_keys; cat /proc/cmdline\n');
    assert.match(await identity, /^uid=1000 groups=.*\bwheel\b/);
    await key;
    await cmdline;

    await stopAndCheck(vm);
    assert.equal(sha256(disk), before, 'booting changed the built disk (the overlay should take the writes)');
  });

  it('builds raw, vmdk, vhd and gce in one run; the raw disk boots', async () => {
    const output = tempFolder('raw');
    const result = build({ output, types: ['raw', 'vmdk', 'vhd', 'gce'] });
    assert.equal(result.status, 0, `builder failed:\n${result.stderr}`);
    const raw = path.join(output, 'image', 'disk.raw');
    assert.equal(qemuImgFormat(raw), 'raw');
    assert.equal(qemuImgFormat(path.join(output, 'vmdk', 'disk.vmdk')), 'vmdk');
    assert.equal(qemuImgFormat(path.join(output, 'vpc', 'disk.vhd')), 'vpc');
    const gce = spawnSync('tar', ['-tzf', path.join(output, 'gce', 'image.tar.gz')], { encoding: 'utf8' });
    assert.equal(gce.status, 0, gce.stderr);
    assert.deepEqual(gce.stdout.split('\n').filter(Boolean), ['disk.raw']);
    assert.ok(fs.existsSync(path.join(output, 'manifest-raw-vmdk-vhd-gce.json')));
    const vm = await bootDisk(raw);
    vms.push(vm);
    assert.match(vm.loginLine, LOGIN_PATTERN);
    assert.ok(vm.serial.includes(BOOT_LINE), 'the image\'s own init did not run from the raw disk');
    await stopAndCheck(vm);
  });

  it('builds an installer ISO that boots from the CD-ROM to a login line with the config user', async () => {
    const output = tempFolder('iso');
    const result = build({ output, types: ['iso'], config });
    assert.equal(result.status, 0, `builder failed:\n${result.stderr}`);
    const iso = path.join(output, 'bootiso', 'install.iso');
    assert.ok(fs.statSync(iso).size > 1024 * 1024);
    assert.ok(fs.existsSync(path.join(output, 'manifest-iso.json')));
    assert.ok(!fs.existsSync(path.join(output, 'qcow2')), 'an ISO build wrote a disk as well');

    const vm = await bootDisk(iso);
    vms.push(vm);
    assert.match(vm.loginLine, LOGIN_PATTERN);
    assert.ok(vm.serial.includes(BOOT_LINE));
    const password = vm.waitFor(/Password: ?$/, { prompt: true, giveUpMs: PROMPT_MS });
    vm.write(`${USER}\n`);
    await password;
    const prompt = vm.waitFor(/\$ ?$/, { prompt: true, giveUpMs: PROMPT_MS });
    vm.write(`${PASSWORD}\n`);
    await prompt;
    const identity = vm.waitFor(/^user=alice$/, { giveUpMs: PROMPT_MS });
    vm.write('echo "user=$(id -un)"\n');
    await identity;
    await stopAndCheck(vm);
  });

  it('refuses an installer ISO together with a disk type before writing anything', () => {
    const output = tempFolder('mixed');
    const result = build({ output, types: ['anaconda-iso', 'qcow2'], config });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /cannot build manifest: cannot detect build types \[anaconda-iso qcow2\]: cannot mix ISO\/disk images in request \[anaconda-iso qcow2\]/);
    assert.deepEqual(fs.readdirSync(output), [], 'the refused build wrote to the output folder');
  });

  it('refuses a kickstart combined with users, as bootc-image-builder does', () => {
    const output = tempFolder('kickstart');
    const kickstartAndUser = writeConfig(`[[customizations.user]]\nname = "${USER}"\npassword = "${PASSWORD}"\n\n[customizations.installer.kickstart]\ncontents = """\ntext --non-interactive\nreboot\n"""\n`);
    const result = build({ output, types: ['anaconda-iso'], config: kickstartAndUser });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /customizations\.installer\.kickstart\.contents cannot be used with customizations\.user or customizations\.group/);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(PASSWORD));
    assert.ok(!fs.existsSync(path.join(output, 'bootiso')));
  });

  it('checks the setup as the real builder does: rootful storage mounted, privileged, a bootc image', () => {
    const output = tempFolder('setup');
    const full = builderRunArgs({ output, image: base });
    const storage = full.indexOf('/var/lib/containers/storage:/var/lib/containers/storage');
    assert.equal(full[storage - 1], '-v');
    const noStorage = build({ output, args: full.filter((_, i) => i !== storage && i !== storage - 1) });
    assert.notEqual(noStorage.status, 0);
    assert.match(noStorage.stderr, /did you forget -v \/var\/lib\/containers\/storage:\/var\/lib\/containers\/storage\?/);
    const unprivileged = build({ output, args: full.filter((arg) => arg !== '--privileged') });
    assert.notEqual(unprivileged.status, 0);
    assert.match(unprivileged.stderr, /this command requires a privileged container/);
    const notBootc = build({ output, image: STAND_IN_BUILDER });
    assert.notEqual(notBootc.status, 0);
    assert.match(notBootc.stderr, /is not a bootc image/);
    const missing = build({ output, image: 'localhost/bootc-disk-test-no-such-image:latest' });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /make sure to pull it before running bootc-image-builder/);
    assert.deepEqual(fs.readdirSync(output), []);
  });

  it('takes the root filesystem from the image\'s bootc install configuration, and asks for --rootfs without one', () => {
    const context = tempFolder('rootfs-image');
    fs.writeFileSync(path.join(context, '00-root.toml'), '[install.filesystem.root]\ntype = "ext4"\n');
    fs.writeFileSync(path.join(context, 'Containerfile'), `FROM ${base}\nCOPY 00-root.toml /usr/lib/bootc/install/00-root.toml\n`);
    const image = uniqueImageName('disk-rootfs');
    images.push(image);
    const built = podmanSync(['build', '--pull=never', '--tag', image, context]);
    assert.equal(built.status, 0, built.stderr);
    const withoutRootfs = (output: string, from: string) => {
      const args = builderRunArgs({ output, image: from, types: ['raw'] });
      const rootfs = args.indexOf('--rootfs');
      return build({ output, args: args.filter((_, i) => i !== rootfs && i !== rootfs + 1) });
    };
    const output = tempFolder('rootfs-default');
    const result = withoutRootfs(output, image);
    assert.equal(result.status, 0, result.stderr);
    const raw = path.join(output, 'image', 'disk.raw');
    assert.equal(qemuImgFormat(raw), 'raw');
    const sector = Buffer.alloc(512);
    const fd = fs.openSync(raw, 'r');
    fs.readSync(fd, sector, 0, 512, 0);
    fs.closeSync(fd);
    assert.deepEqual([sector[510], sector[511], sector[446]], [0x55, 0xaa, 0x80], 'no bootable MBR partition');
    const none = withoutRootfs(tempFolder('rootfs-none'), base);
    assert.notEqual(none.status, 0);
    assert.match(none.stderr, /no default root filesystem type specified in container, please use "--rootfs" to set one/);
  });

  it('prints the --progress debug counters the extension turns into a percentage', () => {
    const output = tempFolder('progress');
    const result = build({ output, extra: ['--progress', 'debug'] });
    assert.equal(result.status, 0, result.stderr);
    const counters = result.stderr.split('\n').filter((line) => /^ *\[\d+ \/ \d+\] /.test(line));
    assert.ok(counters.length >= 5, result.stderr);
    assert.ok(counters.some((line) => line.startsWith('  [')), 'no stage counters below the pipelines');
    assert.match(result.stderr, /^msg: Build complete!$/m);
    assert.match(result.stderr, /^Stop progressbar$/m);
  });

  it('podman stop ends a build at once, leaving no container, mount or loop device', async () => {
    const output = tempFolder('stop');
    const name = `bootc-test-bib-stop-${process.pid}`;
    const args = builderRunArgs({ output, image: base });
    args.splice(1, 0, '--name', name);
    const child = spawn('podman', args, { env: { ...process.env, CONTAINERS_CONF: testContainersConf() }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the build never reached its disk step:\n${stderr}`)), 60_000);
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('Disk image building step')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const started = Date.now();
    const stopped = podmanSync(['stop', '--time', '10', name]);
    assert.equal(stopped.status, 0, stopped.stderr);
    assert.notEqual(await exit, 0);
    assert.ok(Date.now() - started < 9000, 'the builder ignored SIGTERM and waited for the kill');
    assert.equal(podmanSync(['ps', '--all', '--quiet', '--filter', `name=^${name}$`]).stdout.trim(), '');
    const loops = spawnSync('losetup', ['--list', '--noheadings', '--output', 'BACK-FILE'], { encoding: 'utf8' }).stdout;
    assert.ok(!loops.includes(output), `a loop device still backs a file of ${output}:\n${loops}`);
    assert.ok(!fs.readFileSync('/proc/mounts', 'utf8').includes(output), 'a mount of the output folder is left');
  });
});
