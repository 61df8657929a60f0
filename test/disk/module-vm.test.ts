import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runBuilder } from '../../client/src/commands/builderRun';
import { BUILD_LOG_NAME, buildArtifacts, builderContainerName, builderRunArgs } from '../../client/src/disk/builder';
import { writeTemporaryConfig } from '../../client/src/disk/config';
import { Redactor } from '../../client/src/process';
import { LOGIN_PROMPT } from '../../client/src/vm/serial';
import { ensureDiskTestImage, ensureStandInBuilder, standInBuilderAvailable, STAND_IN_BUILDER } from '../helpers/bib';
import { bootWithModules, type ModuleVm } from '../helpers/module-vm';
import { BOOT_LINE, testPodman } from '../helpers/podman';
import { processExists, qemuAvailable } from '../helpers/qemu';

/**
 * Create Disk Image and Open in VM with the extension's modules only: the builder command line
 * of client/src/disk/builder.ts and its config.toml run against the bootc-image-builder
 * STAND-IN (a test fixture tagged with the real builder's name), and the qcow2 it writes booted
 * with client/src/vm/qemu.ts's command line and acceleration check (TCG on these machines,
 * whose /dev/kvm is not hardware KVM), to a login line on the serial console.
 */

const skip = standInBuilderAvailable() ?? qemuAvailable();
const USER = 'carol';
const PASSWORD = 'module-VM-pw-5519';
/** A safety net for each answer on the serial console, not a timed assertion. */
const WAIT_MS = 120_000;
/** How long the guest gets between printing "Password: " and turning its echo off (a TCG guest on a loaded machine). */
const ECHO_OFF_GRACE_MS = 1500;
const folders: string[] = [];
const vms: ModuleVm[] = [];
let disk: string;
let buildLog: string;

function tempFolder(purpose: string): string {
  const folder = fs.mkdtempSync(path.join(process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir(), `bootc-test-module-${purpose}-`));
  folders.push(folder);
  return folder;
}

describe('a disk built and booted with the extension\'s modules', { skip, concurrency: false }, () => {
  before(async () => {
    const image = ensureDiskTestImage();
    ensureStandInBuilder();
    const output = tempFolder('output');
    const redactor = new Redactor();
    const config = writeTemporaryConfig({ users: [{ name: USER, password: PASSWORD, groups: ['wheel'] }] }, { redactor, build: { rootfs: 'ext4', types: ['qcow2'] } });
    try {
      const containerName = builderContainerName();
      const args = builderRunArgs({ image, builderImage: STAND_IN_BUILDER, types: ['qcow2'], rootfs: 'ext4', outputFolder: output, configFile: config.path, chown: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, containerName });
      buildLog = path.join(output, BUILD_LOG_NAME);
      const result = await runBuilder({ podman: testPodman(), args, containerName, logFile: buildLog, redactor });
      assert.equal(result.exitCode, 0, result.stderr);
    } finally {
      config.dispose();
    }
    [{ path: disk }] = buildArtifacts(output, ['qcow2']);
  });

  after(async () => {
    for (const vm of [...vms]) await vm.stop(1000);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('the build log beside the disk has the builder\'s command line and output, never the password', () => {
    const log = fs.readFileSync(buildLog, 'utf8');
    assert.match(log, /^\$ podman run --rm --privileged --pull=newer --security-opt label=type:unconfined_t --name bootc-image-builder-[0-9a-f]{8} -v \/var\/lib\/containers\/storage:\/var\/lib\/containers\/storage -v \S+:\/output -v \S+\/config\.toml:\/config\.toml:ro quay\.io\/centos-bootc\/bootc-image-builder:latest --type qcow2 --rootfs ext4 --progress debug --chown \d+:\d+ /);
    assert.match(log, /Build complete!/);
    assert.equal(log.includes(PASSWORD), false);
    assert.ok(fs.statSync(disk).size > 0);
  });

  it('boots the qcow2 to a login line (TCG when /dev/kvm is not hardware KVM), logs in as the config user, and Stop VM leaves no qemu', async () => {
    const diskBefore = fs.readFileSync(disk);
    const vm = await bootWithModules(disk);
    vms.push(vm);
    if (!/^flags\s*:.*\b(vmx|svm)\b/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) {
      assert.equal(vm.acceleration.accel, 'tcg');
      assert.match(vm.acceleration.reason, /no vmx or svm flag.*TCG software emulation, which is much slower/);
    }
    const login = await vm.serial.waitForPrompt(LOGIN_PROMPT, WAIT_MS);
    assert.match(login, LOGIN_PROMPT);
    assert.ok(vm.serial.lines.includes(BOOT_LINE), 'the image\'s own init did not run');
    assert.ok((vm.firstOutputMs() ?? Infinity) < WAIT_MS);

    const password = vm.serial.waitForPrompt(/Password: ?$/, WAIT_MS);
    vm.write(`${USER}\n`);
    await password;
    // busybox login prints "Password: " before it turns the echo off (libbb/bb_askpass.c): a
    // password sent at once can reach the tty while it still echoes. Give the guest that moment.
    await new Promise((resolve) => setTimeout(resolve, ECHO_OFF_GRACE_MS));
    const prompt = vm.serial.waitForPrompt(/\$ ?$/, WAIT_MS);
    vm.write(`${PASSWORD}\n`);
    await prompt;
    const identity = vm.serial.waitForLine(/^who=carol groups=.*\bwheel\b/, WAIT_MS);
    vm.write('echo "who=$(id -un) groups=$(id -Gn)"\n');
    await identity;
    assert.equal(vm.serial.lines.some((line) => line.includes(PASSWORD)), false, 'the password was echoed on the console');

    const stopped = await vm.stop(2000);
    vms.splice(vms.indexOf(vm), 1);
    // The test image has no acpid: busybox init ignores the power button, so Stop VM kills qemu after the timeout.
    assert.deepEqual(stopped, { graceful: false, reason: 'the guest did not power off within 2 s' });
    const result = await vm.qemu.result;
    assert.equal(processExists(vm.qemu.pid!), false, 'qemu still runs after Stop VM');
    assert.equal(result.cancelled, true);
    await assert.rejects(vm.serial.waitForLine(/never printed/, 1000), /qemu (was stopped|exited)/);
    assert.equal(fs.existsSync(vm.folder), false, 'the overlay folder is left');
    assert.deepEqual(fs.readFileSync(disk), diskBefore, 'the VM wrote to the built disk instead of its overlay');
  });

  it('a cancel while the VM boots kills qemu and removes its overlay', async () => {
    const cancel = new AbortController();
    const vm = await bootWithModules(disk, { signal: cancel.signal });
    vms.push(vm);
    await vm.serial.waitForLine(/\S/, WAIT_MS);
    cancel.abort();
    const result = await vm.qemu.result;
    vms.splice(vms.indexOf(vm), 1);
    assert.equal(result.cancelled, true);
    assert.equal(processExists(vm.qemu.pid!), false, 'qemu still runs after the cancel');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(fs.existsSync(vm.folder), false);
  });
});
