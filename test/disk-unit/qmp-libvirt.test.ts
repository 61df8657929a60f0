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
      '--network', 'none',
      '--qemu-commandline', '-netdev user,id=bootcnet,hostfwd=tcp:127.0.0.1:2222-:22 -device virtio-net-pci,netdev=bootcnet',
      '--noautoconsole',
    ]);
    const uefi = virtInstallArgs({ name: 'd', disk: '/a,b/d.qcow2', diskFormat: 'qcow2', memoryMiB: 1024, vcpus: 1, arch: 'arm64', accel: 'kvm', uefi: true, uri: 'qemu:///system' }).join(' ');
    assert.ok(uefi.includes('--arch aarch64 --virt-type kvm'), uefi);
    assert.ok(uefi.includes('path=/a,,b/d.qcow2,format=qcow2'), uefi);
    assert.ok(uefi.includes('--boot uefi'), uefi);
    assert.ok(uefi.includes('--network user'), 'without a port, libvirt\'s user network');
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
  });
});
