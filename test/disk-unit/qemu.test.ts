import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawnStreaming } from '../../client/src/process';
import {
  detectAcceleration,
  diskFormatFromName,
  diskInfoArgs,
  findUefiFirmware,
  freePort,
  machineType,
  overlayCreateArgs,
  parseDiskInfo,
  PROBE_MARKER,
  probeBootSector,
  probeGuest,
  qemuArgs,
  qemuBinary,
} from '../../client/src/vm/qemu';
import { QmpClient, stopVm } from '../../client/src/vm/qmp';

/** The qemu command line, overlays and acceleration detection (client/src/vm/qemu.ts), partly with the real qemu. */

const hasQemu = spawnSync('qemu-system-x86_64', ['--version']).status === 0;
const hasQemuImg = spawnSync('qemu-img', ['--version']).status === 0;
const isX86 = process.arch === 'x64';

/**
 * The skip reason of a test that needs the real qemu: only another architecture, or (outside
 * CI) a missing qemu. In CI a missing qemu makes the test run, and fail.
 */
function needsQemu(tools: boolean, linuxOnly = false): string | false {
  if (!isX86 || (linuxOnly && process.platform !== 'linux')) return `needs an x86_64${linuxOnly ? ' Linux' : ''} machine`;
  if (!tools && !process.env.CI) return 'qemu-system-x86_64 or qemu-img is not installed (Debian: apt-get install qemu-system-x86 qemu-utils)';
  return false;
}

let scratch: string;
before(() => {
  const parent = process.env.BOOTC_TEST_TMPDIR ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  scratch = fs.mkdtempSync(path.join(parent, 'qemu-test-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** What this machine's CPU says about hardware virtualization (x86: vmx or svm). */
const cpuHasVirtualization = (() => {
  try {
    return /^flags\s*:.*\b(vmx|svm)\b/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
})();

describe('command line', () => {
  test('binaries and machine types per architecture', () => {
    assert.equal(qemuBinary('x86_64'), 'qemu-system-x86_64');
    assert.equal(qemuBinary('arm64'), 'qemu-system-aarch64');
    assert.equal(qemuBinary('ppc64le'), 'qemu-system-ppc64');
    assert.throws(() => qemuBinary('mips'), /Unknown architecture/);
    assert.equal(machineType('amd64'), 'q35');
    assert.equal(machineType('aarch64'), 'virt');
    assert.equal(machineType('riscv64'), 'virt');
    assert.equal(machineType('s390x'), 's390-ccw-virtio');
    assert.equal(machineType('ppc64le'), 'pseries');
  });

  test('a TCG VM: multi-threaded TCG, virtio disk, SSH forwarded from 127.0.0.1 only, serial on a socket, QMP', () => {
    assert.deepEqual(
      qemuArgs({ arch: 'x86_64', disk: '/run/vm/overlay.qcow2', diskFormat: 'qcow2', memoryMiB: 2048, cpus: 2, sshPort: 2222, accel: 'tcg', serial: { kind: 'socket', path: '/run/vm/serial.sock' }, qmpSocket: '/run/vm/qmp.sock', name: 'bootc-vm-1', extraArgs: ['-S'] }),
      [
        '-name', 'bootc-vm-1',
        '-machine', 'q35',
        '-accel', 'tcg,thread=multi',
        '-cpu', 'max',
        '-m', '2048',
        '-smp', '2',
        '-nodefaults',
        '-display', 'none',
        '-drive', 'file=/run/vm/overlay.qcow2,format=qcow2,if=virtio',
        '-netdev', 'user,id=net0,hostfwd=tcp:127.0.0.1:2222-:22',
        '-device', 'virtio-net-pci,netdev=net0',
        '-chardev', 'socket,id=serial0,path=/run/vm/serial.sock,server=on,wait=off',
        '-serial', 'chardev:serial0',
        '-qmp', 'unix:/run/vm/qmp.sock,server=on,wait=off',
        '-S',
      ],
    );
  });

  test('KVM uses the host CPU; UEFI firmware comes as pflash; stdio serial; commas in paths are escaped', () => {
    const args = qemuArgs({ arch: 'aarch64', disk: '/a,b/disk.raw', diskFormat: 'raw', memoryMiB: 1024, cpus: 1, sshPort: 2200, accel: 'kvm', firmware: { code: '/fw/CODE.fd', vars: '/run/vm/vars.fd' }, serial: { kind: 'stdio' }, qmpSocket: '/run/a,b/qmp.sock' });
    const line = args.join(' ');
    assert.ok(line.includes('-machine virt -accel kvm -cpu host'), line);
    assert.ok(line.includes('-drive if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd -drive if=pflash,format=raw,unit=1,file=/run/vm/vars.fd'), line);
    assert.ok(line.includes('-drive file=/a,,b/disk.raw,format=raw,if=virtio'), line);
    assert.ok(line.includes('-chardev stdio,id=serial0,signal=off -serial chardev:serial0'), line);
    assert.ok(line.includes('-qmp unix:/run/a,,b/qmp.sock,server=on,wait=off'), line);
    assert.ok(qemuArgs({ arch: 's390x', disk: '/d', diskFormat: 'raw', sshPort: 22, accel: 'tcg', serial: { kind: 'stdio' }, qmpSocket: '/q' }).includes('virtio-net-ccw,netdev=net0'));
  });

  test('refuses ports, memory and CPU counts qemu would misread', () => {
    const options = { arch: 'x86_64', disk: '/d.qcow2', diskFormat: 'qcow2' as const, sshPort: 2222, accel: 'tcg' as const, serial: { kind: 'stdio' as const }, qmpSocket: '/q' };
    assert.throws(() => qemuArgs({ ...options, sshPort: 70000 }), /not a port number/);
    assert.throws(() => qemuArgs({ ...options, memoryMiB: 64 }), /too little/);
    assert.throws(() => qemuArgs({ ...options, cpus: 0 }), /not a number of CPUs/);
    assert.ok(qemuArgs(options).join(' ').includes('-m 2048 -smp 2'), 'defaults: 2 GiB, 2 CPUs');
  });

  test('overlays are qcow2 backed by the disk (absolute path); formats by file name; qemu-img info as JSON', () => {
    assert.deepEqual(overlayCreateArgs('/o/qcow2/disk.qcow2', 'qcow2', '/run/vm/overlay.qcow2'), ['create', '-f', 'qcow2', '-F', 'qcow2', '-b', '/o/qcow2/disk.qcow2', '/run/vm/overlay.qcow2']);
    assert.equal(overlayCreateArgs('disk.raw', 'raw', '/x/o.qcow2')[6], path.resolve('disk.raw'));
    assert.equal(diskFormatFromName('/o/qcow2/disk.qcow2'), 'qcow2');
    assert.equal(diskFormatFromName('/o/image/disk.raw'), 'raw');
    assert.equal(diskFormatFromName('/o/disk.IMG'), 'raw');
    assert.equal(diskFormatFromName('/o/vmdk/disk.vmdk'), undefined);
    assert.deepEqual(diskInfoArgs('/o/d.qcow2'), ['info', '--output=json', '/o/d.qcow2']);
    assert.deepEqual(parseDiskInfo('{"virtual-size": 1048576, "filename": "o.qcow2", "format": "qcow2", "actual-size": 200704, "backing-filename": "/x/d.raw", "full-backing-filename": "/x/d.raw"}'), {
      format: 'qcow2',
      virtualSize: 1048576,
      backingFile: '/x/d.raw',
    });
    assert.deepEqual(parseDiskInfo('{"format": "raw"}'), { format: 'raw' });
    assert.throws(() => parseDiskInfo('{}'), /no format/);
  });

  test('finds UEFI firmware where distributions install it, with its variables template', () => {
    const present = new Set(['/usr/share/OVMF/OVMF_CODE.fd', '/usr/share/OVMF/OVMF_VARS.fd', '/usr/share/AAVMF/AAVMF_CODE.fd']);
    assert.deepEqual(findUefiFirmware('x86_64', (file) => present.has(file)), { code: '/usr/share/OVMF/OVMF_CODE.fd', varsTemplate: '/usr/share/OVMF/OVMF_VARS.fd' });
    assert.deepEqual(findUefiFirmware('arm64', (file) => present.has(file)), { code: '/usr/share/AAVMF/AAVMF_CODE.fd' });
    assert.deepEqual(findUefiFirmware('x86_64', (file) => file === '/opt/homebrew/share/qemu/edk2-x86_64-code.fd'), { code: '/opt/homebrew/share/qemu/edk2-x86_64-code.fd' });
    assert.equal(findUefiFirmware('s390x', () => true), undefined);
    assert.equal(findUefiFirmware('x86_64', () => false), undefined);
  });

  test('free ports are free on 127.0.0.1', async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('acceleration', () => {
  test('another guest architecture is emulated, as is a platform without an accelerator', async () => {
    const other = await detectAcceleration({ platform: 'linux', hostArch: 'x86_64', arch: 'aarch64' });
    assert.equal(other.accel, 'tcg');
    assert.match(other.reason, /the guest is aarch64 but this machine is x86_64; using TCG software emulation, which is much slower/);
    const windows = await detectAcceleration({ platform: 'win32', hostArch: 'x86_64' });
    assert.equal(windows.accel, 'tcg');
    assert.match(windows.reason, /not supported on win32/);
  });

  test('macOS needs kern.hv_support = 1 for HVF', { skip: process.platform === 'darwin' ? 'runs sysctl, which answers 1 on this Mac' : false }, async () => {
    // Off macOS, sysctl has no kern.hv_support: the answer is not 1.
    const darwin = await detectAcceleration({ platform: 'darwin', hostArch: 'aarch64', arch: 'arm64' });
    assert.equal(darwin.accel, 'tcg');
    assert.match(darwin.reason, /Hypervisor\.framework is not available/);
  });

  test('the probe disk: a boot sector that prints the marker to the first serial port', () => {
    const sector = probeBootSector();
    assert.equal(sector.length, 512);
    assert.deepEqual([sector[510], sector[511]], [0x55, 0xaa]);
    assert.ok(sector.includes(Buffer.from(`${PROBE_MARKER}\n`)));
  });

  test('the probe guest prints its marker under TCG (real qemu); a qemu that cannot run says why; no file is left', { skip: needsQemu(hasQemu) }, async () => {
    const probes = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('bootc-kvm-probe-')).sort();
    const before = probes();
    assert.equal(await probeGuest('qemu-system-x86_64', 'tcg', 20_000), undefined);
    assert.match((await probeGuest('/nonexistent/qemu-system-x86_64', 'tcg', 5000)) ?? '', /cannot run: ENOENT/);
    assert.deepEqual(probes(), before);
  });

  test('detection here: KVM only when /dev/kvm opens, the CPU has vmx or svm, and a guest runs under KVM in time (real /dev/kvm, cpuinfo and qemu)', { skip: needsQemu(hasQemu, true) }, async () => {
    const acceleration = await detectAcceleration();
    let kvmOpens = true;
    try {
      fs.closeSync(fs.openSync('/dev/kvm', 'r+'));
    } catch {
      kvmOpens = false;
    }
    if (!kvmOpens) {
      assert.equal(acceleration.accel, 'tcg');
      assert.match(acceleration.reason, /\/dev\/kvm/);
    } else if (!cpuHasVirtualization) {
      // Such as these test machines: a /dev/kvm that is not hardware KVM, on which stock kernels hang.
      assert.deepEqual(acceleration.accel, 'tcg');
      assert.match(acceleration.reason, /no virtualization extensions \(no vmx or svm flag\).*TCG software emulation, which is much slower/);
      // And the probe says the same: KVM with the host CPU does not run the test guest in time.
      assert.notEqual(await probeGuest('qemu-system-x86_64', 'kvm', 3000), undefined);
    } else {
      assert.ok(acceleration.accel === 'kvm' || /KVM could not run a test guest/.test(acceleration.reason), JSON.stringify(acceleration));
    }
  });
});

describe('a real VM under TCG', { skip: needsQemu(hasQemu && hasQemuImg) }, () => {
  test('boots the probe disk through an overlay with the VM\'s command line, answers QMP, and Stop VM kills a guest that ignores the power button', async () => {
    const folder = fs.mkdtempSync(path.join(scratch, 'vm-'));
    const disk = path.join(folder, 'disk.raw');
    // A 1 MiB disk: SeaBIOS does not boot a virtio disk of a single sector.
    const image = Buffer.alloc(1024 * 1024);
    probeBootSector().copy(image);
    fs.writeFileSync(disk, image);
    const before = fs.readFileSync(disk);
    const overlay = path.join(folder, 'overlay.qcow2');
    const created = spawnSync('qemu-img', overlayCreateArgs(disk, 'raw', overlay), { encoding: 'utf8' });
    assert.equal(created.status, 0, created.stderr);
    const info = parseDiskInfo(spawnSync('qemu-img', diskInfoArgs(overlay), { encoding: 'utf8' }).stdout);
    assert.equal(info.format, 'qcow2');
    assert.equal(info.backingFile, disk);

    const qmpSocket = path.join(folder, 'qmp.sock');
    const sshPort = await freePort();
    const lines: string[] = [];
    let sawMarker: () => void = () => undefined;
    const marker = new Promise<void>((resolve) => (sawMarker = resolve));
    const args = qemuArgs({ arch: 'x86_64', disk: overlay, diskFormat: 'qcow2', memoryMiB: 128, cpus: 1, sshPort, accel: 'tcg', serial: { kind: 'stdio' }, qmpSocket, name: 'bootc-unit-test' });
    const qemu = spawnStreaming(qemuBinary('x86_64'), args, {
      onLine: (line) => {
        lines.push(line);
        if (line.includes(PROBE_MARKER)) sawMarker();
      },
    });
    try {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([marker, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no marker on the serial console: ${lines.join('\n')}`)), 30_000)))]);
      clearTimeout(timer);

      const qmp = await QmpClient.connect(qmpSocket);
      const status = (await qmp.execute('query-status')) as { status: string; running: boolean };
      assert.equal(status.running, true);
      await assert.rejects(qmp.execute('no-such-command'), { name: 'QmpError' });
      qmp.close();

      // The probe guest halts with interrupts off: the power button does nothing, so Stop VM kills it.
      const started = Date.now();
      const stopped = await stopVm(qemu, qmpSocket, 1000);
      assert.equal(stopped.graceful, false);
      assert.match(stopped.reason ?? '', /did not power off within 1 s/);
      assert.ok(Date.now() - started < 10_000);
      const result = await qemu.result;
      assert.equal(result.cancelled, true);
      assert.throws(() => process.kill(qemu.pid!, 0), 'qemu still runs after stopVm');
      assert.deepEqual(fs.readFileSync(disk), before, 'the VM wrote to the disk instead of the overlay');
    } finally {
      qemu.kill();
      await qemu.result.catch(() => undefined);
    }
  });
});
