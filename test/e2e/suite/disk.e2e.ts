// Disk images and VMs in a real VS Code: Create Disk Image runs the STAND-IN bootc-image-builder
// (test/helpers/bib.ts builds it and tags it with the real builder's name before VS Code
// starts; the real one cannot be pulled here) through the extension's real command line, Open
// in VM boots the qcow2 in real qemu with its serial console in a terminal that takes the login,
// and Stop VM leaves no qemu process. Without podman, the stand-in or qemu the suite skips
// (see harness.ts `disk`). Create config.toml and Create Kickstart need neither.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { DiskImageOptions, DiskImageOutcome } from '../../../client/src/commands/disk';
import type { RunningVm } from '../../../client/src/commands/vm';
import type { StopResult } from '../../../client/src/vm/qmp';
import { LOGIN_PROMPT } from '../../../client/src/vm/serial';
import { recordMetric, suiteOption, workspaceUri } from './context';
import { DISK_OPTION, type DiskSuiteOption } from './protocol';

const USER = 'alice';
/** A test password: it must appear in no log, no command line, no written file. */
const PASSWORD = 'e2e-Stand-in-pw-7731';
/** Safety nets for the guest's answers under TCG, not timed assertions. */
const BOOT_GIVE_UP_MS = 180_000;
const ANSWER_GIVE_UP_MS = 60_000;

function diskOption(): DiskSuiteOption {
  return suiteOption<DiskSuiteOption>(DISK_OPTION) ?? { skipReason: 'no disk option from the harness' };
}

function createDiskImage(options: DiskImageOptions): Thenable<DiskImageOutcome | undefined> {
  const { image, builderImage } = diskOption();
  return vscode.commands.executeCommand<DiskImageOutcome | undefined>('bootc.createDiskImage', workspaceUri('disk-vm/Containerfile'), { image, builderImage, ...options });
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

suite('disk', () => {
  /** The qcow2 the build test made, which the VM test boots. */
  let qcow2: string | undefined;
  const vms: RunningVm[] = [];

  suiteSetup(function () {
    if (diskOption().skipReason) this.skip();
  });

  suiteTeardown(async () => {
    for (const vm of vms) await vm.stop();
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  test('Create Disk Image refuses an installer ISO combined with qcow2 before anything runs', async () => {
    const outcome = await createDiskImage({ types: ['anaconda-iso', 'qcow2'], outputFolder: 'refused-output' });
    assert.equal(outcome?.state, 'refused', JSON.stringify(outcome));
    assert.equal(outcome.problems?.length, 1, JSON.stringify(outcome.problems));
    assert.match(outcome.problems[0], /"anaconda-iso".*cannot be combined with disk image types \("qcow2"\)/);
    assert.equal(fs.existsSync(workspaceUri('disk-vm/refused-output').fsPath), false, 'the output folder was created for a refused build');
  });

  test('Create Disk Image builds qcow2 and raw with the bootc-image-builder stand-in, the log beside them, the password nowhere', async function () {
    this.timeout(BOOT_GIVE_UP_MS);
    const started = Date.now();
    const outcome = await createDiskImage({ types: ['qcow2', 'raw'], rootfs: 'ext4', config: { users: [{ name: USER, password: PASSWORD, groups: ['wheel'] }] } });
    recordMetric('disk.createDiskImageMs', Date.now() - started);
    assert.equal(outcome?.state, 'succeeded', JSON.stringify(outcome));
    const output = workspaceUri('disk-vm/output').fsPath;
    assert.equal(outcome.outputFolder, output);
    assert.deepEqual(
      outcome.artifacts.map((artifact) => [artifact.type, artifact.path]),
      [
        ['qcow2', path.join(output, 'qcow2', 'disk.qcow2')],
        ['raw', path.join(output, 'image', 'disk.raw')],
      ],
    );
    const info = spawnSync('qemu-img', ['info', '--output=json', outcome.artifacts[0].path], { encoding: 'utf8' });
    assert.equal((JSON.parse(info.stdout) as { format: string }).format, 'qcow2', info.stderr);
    // The real builder's command line, with the config mounted and the container named for a cancel.
    for (const part of ['run --rm --privileged --pull=newer', 'label=type:unconfined_t', '/var/lib/containers/storage:/var/lib/containers/storage', ':/config.toml:ro', '--type qcow2 --type raw', '--rootfs ext4']) {
      assert.ok(outcome.commandLine?.includes(part), `"${part}" is not in ${outcome.commandLine}`);
    }
    assert.match(outcome.containerName ?? '', /^bootc-image-builder-[0-9a-f]{8}$/);
    assert.equal(outcome.logFile, path.join(output, 'bootc-image-builder.log'));
    const log = fs.readFileSync(outcome.logFile, 'utf8');
    assert.match(log, /Build complete!/);
    assert.equal(log.includes(PASSWORD), false, 'the password is in the build log');
    assert.equal(outcome.commandLine?.includes(PASSWORD), false);
    // The temporary config (its folder named in the command line) is gone.
    const configFolder = /-v (\S*bootc-config-[^/\s]+)\/config\.toml:\/config\.toml:ro/.exec(outcome.commandLine ?? '')?.[1];
    assert.ok(configFolder, `no temporary config in ${outcome.commandLine}`);
    assert.equal(fs.existsSync(configFolder), false, `${configFolder} was not removed`);
    assert.ok(vscode.window.terminals.some((terminal) => terminal.name === `Bootc Disk: ${diskOption().image}`), 'no terminal with the builder output');
    qcow2 = outcome.artifacts[0].path;
  });

  test('Open in VM shows the login line in the serial terminal, takes the login there, and Stop VM leaves no qemu process', async function () {
    this.timeout(BOOT_GIVE_UP_MS + 3 * ANSWER_GIVE_UP_MS);
    if (!qcow2) assert.fail('the build test left no qcow2 to boot');
    const before = sha256(qcow2);
    const started = Date.now();
    const vm = await vscode.commands.executeCommand<RunningVm | undefined>('bootc.openInVm', vscode.Uri.file(qcow2), { sshUser: USER });
    assert.ok(vm && typeof vm.waitForPrompt === 'function', `no running VM: ${String(vm)}`);
    vms.push(vm);
    assert.equal(typeof vm.pid, 'number');
    const firstLine = vm.waitForLine(/\S/, BOOT_GIVE_UP_MS).then(() => recordMetric('disk.vmFirstSerialOutputMs', Date.now() - started));
    const login = await vm.waitForPrompt(LOGIN_PROMPT, BOOT_GIVE_UP_MS);
    recordMetric('disk.vmLoginLineMs', Date.now() - started);
    await firstLine;
    assert.match(login, LOGIN_PROMPT);
    assert.ok(vm.lines.some((line) => line.includes('Linux version')), 'no kernel output on the serial console');

    // The serial console is a VS Code terminal that takes input: log in as the config.toml user.
    const terminal = vscode.window.terminals.find((candidate) => candidate.name === `Bootc VM: ${vm.name}`);
    assert.ok(terminal, `no serial terminal among ${vscode.window.terminals.map((candidate) => candidate.name).join(', ')}`);
    terminal.sendText(USER, true);
    await vm.waitForPrompt(/Password: ?$/, ANSWER_GIVE_UP_MS);
    terminal.sendText(PASSWORD, true);
    await vm.waitForPrompt(/\$ ?$/, ANSWER_GIVE_UP_MS);
    terminal.sendText('echo "logged in as $(id -un): $((6 * 7))"', true);
    // The guest's tty may echo the terminal's reply to ash's cursor-position query (`^[[13;5R`) in front of the output.
    const answer = await vm.waitForLine(/logged in as \S+: \d+$/, ANSWER_GIVE_UP_MS);
    assert.equal(answer.replace(/^(?:\^\[\[[0-9;]*R)+/, ''), `logged in as ${USER}: 42`);

    // SSH into VM: ssh to the forwarded port as the config user, as an argument array.
    const ssh = await vscode.commands.executeCommand<vscode.Terminal | undefined>('bootc.sshIntoVm', vm.id);
    assert.ok(ssh, 'no SSH terminal');
    const sshOptions = ssh.creationOptions as vscode.TerminalOptions;
    assert.equal(sshOptions.shellPath, 'ssh');
    assert.deepEqual(sshOptions.shellArgs, ['-p', String(vm.sshPort), '-o', 'NoHostAuthenticationForLocalhost=yes', `${USER}@127.0.0.1`]);
    ssh.dispose();

    const stopped = await vscode.commands.executeCommand<StopResult | undefined>('bootc.stopVm', vm.id);
    // The test guest (busybox init) ignores the power button: Stop VM kills it after bootc.vm.shutdownTimeout.
    assert.equal(stopped?.graceful, false, JSON.stringify(stopped));
    assert.equal(vm.running, false);
    assert.equal(processExists(vm.pid!), false, `qemu ${vm.pid} still runs after Stop VM`);
    const left = spawnSync('pgrep', ['-f', `hostfwd=tcp:127.0.0.1:${vm.sshPort}-`], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, '', `a qemu process is left: ${left}`);
    assert.equal(sha256(qcow2), before, 'booting changed the built disk (the overlay should take the writes)');
  });
});

suite('disk config files', () => {
  test('Create config.toml writes the guided answers with mode 0600 and the password only as a SHA-512 crypt hash', async () => {
    const result = await vscode.commands.executeCommand<{ path: string; describe: string } | undefined>('bootc.createConfig', undefined, {
      answers: { users: [{ name: USER, password: PASSWORD, key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBootcE2eKey e2e@bootc', groups: ['wheel'] }], kernelAppend: 'console=ttyS0', filesystems: [{ mountpoint: '/var/data', minsize: '2 GiB' }] },
      destination: 'disk-vm/config.toml',
    });
    assert.equal(result?.path, workspaceUri('disk-vm/config.toml').fsPath);
    assert.equal(fs.statSync(result.path).mode & 0o777, 0o600);
    const text = fs.readFileSync(result.path, 'utf8');
    assert.equal(text.includes(PASSWORD), false, 'the password is in config.toml');
    assert.match(text, /password = "\$6\$[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}"/);
    assert.match(text, /name = "alice"/);
    assert.match(text, /append = "console=ttyS0"/);
    assert.match(text, /mountpoint = "\/var\/data"/);
    assert.equal(result.describe.includes(PASSWORD), false);
    assert.match(result.describe, /password = "\*\*\*"/);
    fs.rmSync(result.path);
  });

  test('Create config.toml refuses a kickstart combined with users', async () => {
    const result = await vscode.commands.executeCommand('bootc.createConfig', undefined, { answers: { users: [{ name: USER, password: PASSWORD }], kickstart: 'text\n' }, destination: 'disk-vm/refused.toml' });
    assert.equal(result, undefined);
    assert.equal(fs.existsSync(workspaceUri('disk-vm/refused.toml').fsPath), false);
  });

  test('Create Kickstart writes an Anaconda kickstart installing the image and opens it', async () => {
    const written = await vscode.commands.executeCommand<string | undefined>('bootc.createKickstart', undefined, { image: 'quay.io/example/my-os:latest', user: { name: USER, password: PASSWORD }, destination: 'disk-vm/install.ks' });
    assert.equal(written, workspaceUri('disk-vm/install.ks').fsPath);
    const text = fs.readFileSync(written, 'utf8');
    assert.match(text, /^ostreecontainer --url=quay\.io\/example\/my-os:latest$/m);
    assert.match(text, /^user --name=alice --groups=wheel --iscrypted --password=\$6\$/m);
    assert.equal(text.includes(PASSWORD), false, 'the password is in the kickstart');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, written);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(written);
  });
});
