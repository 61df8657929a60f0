import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/**
 * libvirt for the Open in VM libvirt backend's disk test: the system daemon (qemu:///system),
 * started here when it does not answer, since these machines have no systemd to start it.
 */

export const LIBVIRT_PACKAGES = 'libvirt-daemon-system libvirt-clients virtinst';
const SYSTEM_URI = 'qemu:///system';

/**
 * Undefined when virt-install, virsh and libvirtd are installed and this runs as root (the
 * system daemon), else the reason to skip. With `CI` set this throws instead: CI must run it.
 */
export function libvirtAvailable(): string | undefined {
  const missing = ['virt-install', 'virsh', 'libvirtd'].filter((program) => spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0);
  let reason: string | undefined;
  if (missing.length > 0) reason = `${missing.join(', ')} not installed (Debian: apt-get install ${LIBVIRT_PACKAGES})`;
  else if (process.getuid?.() !== 0) reason = 'the libvirt test uses the system daemon (qemu:///system) and must run as root';
  if (reason !== undefined && process.env.CI) throw new Error(`CI must run the libvirt test, but ${reason}`);
  return reason;
}

function answers(): boolean {
  return spawnSync('virsh', ['--connect', SYSTEM_URI, 'version'], { encoding: 'utf8' }).status === 0;
}

function running(program: string): boolean {
  return spawnSync('pgrep', ['-x', program]).status === 0;
}

/**
 * Starts virtlogd and libvirtd as daemons (`-d`) unless qemu:///system already answers; once
 * started they stay for later runs. Throws with libvirtd's log when the daemon does not come up.
 */
export async function ensureLibvirtd(): Promise<void> {
  if (answers()) return;
  for (const folder of ['/var/log/libvirt/qemu', '/var/lib/libvirt/qemu', '/run/libvirt']) fs.mkdirSync(folder, { recursive: true });
  if (!running('virtlogd')) spawnSync('virtlogd', ['-d']);
  if (!running('libvirtd')) {
    const started = spawnSync('libvirtd', ['-d'], { encoding: 'utf8' });
    if (started.status !== 0) throw new Error(`libvirtd -d failed: ${started.stderr}`);
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (answers()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = fs.existsSync('/var/log/libvirt/libvirtd.log') ? fs.readFileSync('/var/log/libvirt/libvirtd.log', 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`libvirtd did not answer on ${SYSTEM_URI} within 30 s:\n${log}`);
}

/** `virsh …` on qemu:///system, synchronously. */
export function virshSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('virsh', ['--connect', SYSTEM_URI, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
