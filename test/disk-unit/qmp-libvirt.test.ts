import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProcessResult } from '../../client/src/process';
import {
  defaultLibvirtUri,
  domainName,
  fileOwners,
  hostForwardArgs,
  startLibvirtDomain,
  stopLibvirtDomain,
  type CommandRunner,
  virshConsoleArgs,
  virshDestroyArgs,
  virshShutdownArgs,
  virshStartArgs,
  virshStateArgs,
  virshUndefineArgs,
  virtInstallArgs,
} from '../../client/src/vm/libvirt';
import { QmpClient, QmpError, stopVm } from '../../client/src/vm/qmp';

/** QMP (client/src/vm/qmp.ts) against a scripted QMP server, and the libvirt command lines (client/src/vm/libvirt.ts). */

let scratch: string;
before(() => {
  const parent = process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  scratch = fs.mkdtempSync(path.join(parent, 'qmp-test-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** A QMP server speaking as qemu does; `answer` decides each command's reply. */
async function qmpServer(answer: (command: string, args: unknown) => unknown, options: { greet?: boolean } = {}): Promise<{ socketPath: string; commands: string[]; close: () => Promise<void> }> {
  const socketPath = path.join(scratch, `qmp-${Math.random().toString(36).slice(2)}.sock`);
  const commands: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (options.greet !== false) socket.write(`${JSON.stringify({ QMP: { version: { qemu: { major: 7, minor: 2, micro: 0 } }, capabilities: ['oob'] } })}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const request = JSON.parse(buffer.slice(0, newline)) as { execute: string; arguments?: unknown; id?: string };
        buffer = buffer.slice(newline + 1);
        commands.push(request.execute);
        const reply = request.execute === 'qmp_capabilities' ? { return: {} } : answer(request.execute, request.arguments);
        // Events may come before the reply; the client must ignore them for matching.
        socket.write(`${JSON.stringify({ event: 'NOISE', data: {}, timestamp: { seconds: 0, microseconds: 0 } })}\r\n`);
        socket.write(`${JSON.stringify({ ...(reply as object), id: request.id })}\r\n`);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A stand-in for the qemu process: `exit()` ends it, `kill()` ends it as cancelled. */
function fakeVm() {
  let finish: (result: ProcessResult) => void = () => undefined;
  const result = new Promise<ProcessResult>((resolve) => (finish = resolve));
  const end = (cancelled: boolean) => finish({ exitCode: cancelled ? null : 0, signal: cancelled ? 'SIGTERM' : null, stdout: '', stderr: '', cancelled, commandLine: 'qemu' });
  const vm = { result, killed: false, kill: () => ((vm.killed = true), end(true)), exit: () => end(false) };
  return vm;
}

describe('QmpClient', () => {
  test('negotiates capabilities, returns results, keeps events apart, and turns errors into QmpError', async () => {
    const server = await qmpServer((command) => (command === 'query-status' ? { return: { status: 'running', running: true } } : { error: { class: 'CommandNotFound', desc: `The command ${command} has not been found` } }));
    const client = await QmpClient.connect(server.socketPath);
    try {
      assert.deepEqual(await client.execute('query-status'), { status: 'running', running: true });
      await assert.rejects(client.execute('frobnicate'), (error: unknown) => error instanceof QmpError && error.errorClass === 'CommandNotFound' && /The command frobnicate has not been found/.test(error.message));
      assert.deepEqual(server.commands, ['qmp_capabilities', 'query-status', 'frobnicate']);
      assert.deepEqual(
        client.events.map((event) => event.event),
        ['NOISE', 'NOISE', 'NOISE'],
      );
    } finally {
      client.close();
      await server.close();
    }
  });

  test('gives up on a socket that never greets, and rejects when nothing listens', async () => {
    const silent = await qmpServer(() => ({ return: {} }), { greet: false });
    try {
      await assert.rejects(QmpClient.connect(silent.socketPath, 200), /No QMP greeting on .* within 200 ms/);
    } finally {
      await silent.close();
    }
    await assert.rejects(QmpClient.connect(path.join(scratch, 'nothing.sock')), /ENOENT|ECONNREFUSED/);
  });

  test('commands after qemu closed the connection are rejected, not left waiting', async () => {
    const server = await qmpServer(() => ({ return: {} }));
    const client = await QmpClient.connect(server.socketPath);
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(client.execute('query-status'), /closed/);
    client.close();
  });
});

describe('stopVm', () => {
  test('a guest that powers off after the power button is stopped gracefully, without a kill', async () => {
    const vm = fakeVm();
    const server = await qmpServer((command) => {
      if (command === 'system_powerdown') setTimeout(() => vm.exit(), 50);
      return { return: {} };
    });
    try {
      assert.deepEqual(await stopVm(vm, server.socketPath, 5000), { graceful: true });
      assert.equal(vm.killed, false);
      assert.deepEqual(server.commands, ['qmp_capabilities', 'system_powerdown']);
    } finally {
      await server.close();
    }
  });

  test('a guest that ignores the power button is killed after the timeout', async () => {
    const vm = fakeVm();
    const server = await qmpServer(() => ({ return: {} }));
    try {
      const started = Date.now();
      const result = await stopVm(vm, server.socketPath, 1000);
      assert.deepEqual(result, { graceful: false, reason: 'the guest did not power off within 1 s' });
      assert.equal(vm.killed, true);
      assert.ok(Date.now() - started >= 990);
      assert.deepEqual(server.commands, ['qmp_capabilities', 'system_powerdown']);
    } finally {
      await server.close();
    }
  });

  test('without QMP the VM is killed at once, saying why', async () => {
    const vm = fakeVm();
    const started = Date.now();
    const result = await stopVm(vm, path.join(scratch, 'gone.sock'), 5000);
    assert.equal(result.graceful, false);
    assert.match(result.reason ?? '', /^QMP failed: .*ENOENT/);
    assert.equal(vm.killed, true);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('libvirt', () => {
  test('root uses the system daemon, users their session', () => {
    assert.equal(defaultLibvirtUri(0), 'qemu:///system');
    assert.equal(defaultLibvirtUri(1000), 'qemu:///session');
  });

  test('domain names are safe and name the image', () => {
    assert.equal(domainName('localhost/my-os:latest', 'vm-1'), 'bootc-my-os-vm-1');
    assert.equal(domainName('quay.io/me/os@sha256:abc', 'vm-2'), 'bootc-os-vm-2');
    assert.equal(domainName('we ird/na me', 'vm 3'), 'bootc-na-me-vm-3');
    assert.ok(domainName('x'.repeat(100), 'vm-1').length <= 60);
  });

  test('virt-install imports the overlay with the serial console, no graphics, and the SSH forward', () => {
    assert.deepEqual(virtInstallArgs({ name: 'bootc-os-vm-1', disk: '/run/vm/overlay.qcow2', diskFormat: 'qcow2', memoryMiB: 2048, vcpus: 2, arch: 'x86_64', accel: 'tcg', sshPort: 2222, uri: 'qemu:///session' }), [
      '--connect', 'qemu:///session',
      '--name', 'bootc-os-vm-1',
      '--memory', '2048',
      '--vcpus', '2',
      '--arch', 'x86_64',
      '--virt-type', 'qemu',
      '--import',
      '--disk', 'path=/run/vm/overlay.qcow2,format=qcow2,bus=virtio',
      '--osinfo', 'detect=on,require=off',
      '--graphics', 'none',
      '--console', 'pty,target_type=serial',
      // libvirt's own user network: a -device passed through --qemu-commandline took the PCI slot
      // of libvirt's disk/USB controller and qemu refused to start (found booting it for real).
      '--network', 'user,model=virtio',
      '--noautoconsole',
    ]);
    const uefi = virtInstallArgs({ name: 'd', disk: '/a,b/d.qcow2', diskFormat: 'qcow2', memoryMiB: 1024, vcpus: 1, arch: 'arm64', accel: 'kvm', uefi: true, uri: 'qemu:///system' }).join(' ');
    assert.ok(uefi.includes('--arch aarch64 --virt-type kvm'), uefi);
    assert.ok(uefi.includes('path=/a,,b/d.qcow2,format=qcow2'), uefi);
    assert.ok(uefi.includes('--boot uefi'), uefi);
    assert.ok(uefi.includes('--network user,model=virtio'), uefi);
    assert.ok(!uefi.includes('--qemu-commandline'), uefi);
    assert.throws(() => virtInstallArgs({ name: 'bad name', disk: '/d', diskFormat: 'raw', accel: 'tcg' }), /not a domain name/);
    assert.throws(() => virtInstallArgs({ name: 'd', disk: '/d', diskFormat: 'raw', accel: 'tcg', sshPort: 0 }), /not a port number/);
    assert.throws(() => virtInstallArgs({ name: 'd', disk: '/d', diskFormat: 'raw', accel: 'tcg', arch: 'mips' }), /Unknown architecture/);
  });

  test('virsh commands name the connection and the domain', () => {
    const uri = 'qemu:///session';
    assert.deepEqual(virshStartArgs('d', uri), ['--connect', uri, 'start', 'd']);
    assert.deepEqual(virshShutdownArgs('d', uri), ['--connect', uri, 'shutdown', 'd']);
    assert.deepEqual(virshDestroyArgs('d', uri), ['--connect', uri, 'destroy', 'd']);
    assert.deepEqual(virshUndefineArgs('d', uri), ['--connect', uri, 'undefine', 'd', '--nvram']);
    assert.deepEqual(virshStateArgs('d', uri), ['--connect', uri, 'domstate', 'd']);
    assert.deepEqual(virshConsoleArgs('d', uri), ['--connect', uri, 'console', 'd']);
    assert.deepEqual(hostForwardArgs('d', 2222, uri), ['--connect', uri, 'qemu-monitor-command', 'd', '--hmp', 'hostfwd_add hostnet0 tcp:127.0.0.1:2222-:22']);
    assert.throws(() => hostForwardArgs('d', 70000, uri), /not a port number/);
  });

  /** A scripted virt-install/virsh: answers by the virsh subcommand (or "virt-install"), records each call. */
  function scripted(answers: Record<string, (count: number) => { exitCode: number; stdout?: string; stderr?: string }>): { run: CommandRunner; calls: string[] } {
    const calls: string[] = [];
    const counts = new Map<string, number>();
    const run: CommandRunner = async (command, args) => {
      const key = command === 'virsh' ? args[2] : command;
      calls.push(`${command} ${args.slice(2).join(' ')}`);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      const answer = answers[key]?.(count) ?? { exitCode: 0 };
      return { exitCode: answer.exitCode, stdout: answer.stdout ?? '', stderr: answer.stderr ?? '' };
    };
    return { run, calls };
  }
  const options = { name: 'd', disk: '/o.qcow2', diskFormat: 'qcow2' as const, accel: 'tcg' as const, sshPort: 2222, uri: 'qemu:///system' };

  test('starting forwards the SSH port after virt-install; a failed forward removes the domain', async () => {
    const ok = scripted({ 'qemu-monitor-command': () => ({ exitCode: 0, stdout: '\n' }) });
    await startLibvirtDomain(options, ok.run);
    assert.equal(ok.calls.length, 2);
    assert.match(ok.calls[0], /^virt-install --name d /);
    assert.equal(ok.calls[1], 'virsh qemu-monitor-command d --hmp hostfwd_add hostnet0 tcp:127.0.0.1:2222-:22');
    // HMP reports its errors on stdout with exit code 0.
    const busy = scripted({ 'qemu-monitor-command': () => ({ exitCode: 0, stdout: 'Could not set up host forwarding rule \'tcp:127.0.0.1:2222-:22\'\n' }) });
    await assert.rejects(startLibvirtDomain(options, busy.run), /Forwarding the SSH port failed: Could not set up host forwarding rule/);
    assert.deepEqual(busy.calls.slice(2), ['virsh destroy d', 'virsh undefine d --nvram']);
    const refused = scripted({ 'virt-install': () => ({ exitCode: 1, stderr: 'ERROR    internal error: qemu unexpectedly closed the monitor' }) });
    await assert.rejects(startLibvirtDomain(options, refused.run), /virt-install failed: ERROR +internal error/);
    assert.deepEqual(refused.calls.slice(1), ['virsh destroy d', 'virsh undefine d --nvram']);
  });

  test('stopping: shutdown, domstate until shut off, then undefine; destroy first when it keeps running', async () => {
    const graceful = scripted({ domstate: (n) => ({ exitCode: 0, stdout: n < 3 ? 'running\n' : 'shut off\n' }), destroy: () => ({ exitCode: 1, stderr: 'error: Requested operation is not valid: domain is not running' }) });
    assert.deepEqual(await stopLibvirtDomain('d', 'qemu:///system', 5000, graceful.run, 1), { graceful: true });
    assert.deepEqual(graceful.calls, ['virsh shutdown d', 'virsh domstate d', 'virsh domstate d', 'virsh domstate d', 'virsh destroy d', 'virsh undefine d --nvram']);
    const stuck = scripted({ domstate: () => ({ exitCode: 0, stdout: 'running\n' }) });
    const result = await stopLibvirtDomain('d', 'qemu:///system', 20, stuck.run, 5);
    assert.equal(result.graceful, false);
    assert.match(result.reason ?? '', /did not power off within 0 s/);
    assert.deepEqual(stuck.calls.slice(-2), ['virsh destroy d', 'virsh undefine d --nvram']);
    const undefineFails = scripted({ domstate: () => ({ exitCode: 0, stdout: 'shut off' }), undefine: () => ({ exitCode: 1, stderr: 'error: Failed to undefine domain' }) });
    await assert.rejects(stopLibvirtDomain('d', undefined, 1000, undefineFails.run, 1), /virsh undefine failed/);
  });

  test('stopping gives the built disk back to its owner when libvirt took it', { skip: process.getuid?.() === 0 ? undefined : 'chown needs root' }, async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-libvirt-owner-'));
    try {
      const file = path.join(folder, 'disk.qcow2');
      fs.writeFileSync(file, '');
      const owners = fileOwners([file]);
      fs.chownSync(file, 64055, 64055);
      const { run } = scripted({ domstate: () => ({ exitCode: 0, stdout: 'shut off' }) });
      await stopLibvirtDomain('d', undefined, 1000, run, 1, owners);
      const stat = fs.statSync(file);
      assert.deepEqual({ uid: stat.uid, gid: stat.gid }, { uid: owners[0].uid, gid: owners[0].gid });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
