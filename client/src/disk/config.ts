/**
 * The builder's config.toml (a blueprint's `customizations`, mounted at /config.toml): built
 * from the answers of the guided editor, checked first, written mode 0600 into a fresh 0700
 * folder that `dispose()` removes. The password is hashed (SHA-512 crypt) before it is written,
 * registered with the {@link Redactor}, and never part of any text meant for display.
 * No `vscode` import.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Toml from 'smol-toml' with { 'resolution-mode': 'import' };
import type { Redactor } from '../process';
import type { RootFs } from './builder';
import { isCryptHash, sha512Crypt } from './crypt';

// smol-toml ships ESM types; this is compiled as CommonJS (as in server/src/lint/analysis/toml.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const toml = require('smol-toml') as typeof Toml;

export interface UserAnswer {
  name: string;
  /** Plain (hashed before writing) or already a crypt hash. Optional: a key alone is enough for SSH. */
  password?: string;
  /** An SSH public key line (`ssh-ed25519 AAAA… comment`). */
  key?: string;
  groups?: string[];
}

export interface FilesystemAnswer {
  mountpoint: string;
  /** `10 GiB`, `512 MiB`, or a number of bytes. */
  minsize: string;
}

/** The guided editor's answers; `kickstart` excludes `users` (the builder refuses both). */
export interface DiskConfigAnswers {
  users?: UserAnswer[];
  /** Kernel arguments to append (`customizations.kernel.append`). */
  kernelAppend?: string;
  filesystems?: FilesystemAnswer[];
  /** Kickstart commands for an installer ISO (`customizations.installer.kickstart.contents`). */
  kickstart?: string;
}

/** Groups offered in the editor; `wheel` gives sudo on Fedora/CentOS/RHEL. */
export const SUGGESTED_GROUPS = ['wheel'];

const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const SSH_KEY = /^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}(?: [^\n]*)?$/;
const SIZE = /^\d+(?:\.\d+)?(?: ?(?:B|[KMGT]i?B|[KMGT]))?$/i;

/**
 * Everything wrong with the answers, each a sentence saying what to change; empty when the
 * config can be written. `rootfs` is the root filesystem of the build (btrfs allows only `/`
 * and `/boot`); `types` the image types (a kickstart only applies to installer ISOs).
 */
export function validateConfigAnswers(answers: DiskConfigAnswers, build: { rootfs?: RootFs | string; types?: readonly string[] } = {}): string[] {
  const problems: string[] = [];
  const users = answers.users ?? [];
  const kickstart = answers.kickstart?.trim() ?? '';
  if (kickstart !== '' && users.length > 0) {
    problems.push('A kickstart and users cannot be combined in one config (bootc-image-builder refuses it): add the users to the kickstart (user, sshkey), or leave the kickstart out.');
  }
  if (kickstart !== '') {
    if (/^\s*ostreecontainer\b/m.test(kickstart)) problems.push('Remove the ostreecontainer line from the kickstart: bootc-image-builder adds the one that installs the image itself.');
    const disks = (build.types ?? []).filter((type) => !['anaconda-iso', 'iso', 'bootc-installer'].includes(type));
    if (disks.length > 0) problems.push(`A kickstart only applies to installer ISOs (anaconda-iso, iso), not to ${disks.map((type) => `"${type}"`).join(', ')}.`);
  }
  const seen = new Set<string>();
  for (const user of users) {
    if (!USER_NAME.test(user.name)) problems.push(`"${user.name}" is not a user name: lowercase letters, digits, "_" and "-", starting with a letter, at most 32 characters.`);
    if (seen.has(user.name)) problems.push(`The user "${user.name}" is listed twice.`);
    seen.add(user.name);
    if (user.key !== undefined && user.key.trim() !== '' && !SSH_KEY.test(user.key.trim())) problems.push(`The SSH key of "${user.name}" is not a public key line (it starts with ssh-ed25519, ssh-rsa or ecdsa-sha2-…); pick a .pub file.`);
    if (!user.password && !user.key?.trim()) problems.push(`The user "${user.name}" has neither a password nor an SSH key, so nobody could log in as it.`);
    for (const group of user.groups ?? []) if (!USER_NAME.test(group)) problems.push(`"${group}" is not a group name.`);
  }
  if (answers.kernelAppend !== undefined && /[\n\r]/.test(answers.kernelAppend)) problems.push('The kernel arguments must be on one line.');

  const mountpoints = new Set<string>();
  for (const filesystem of answers.filesystems ?? []) {
    const mountpoint = filesystem.mountpoint.trim().replace(/(.)\/+$/, '$1');
    if (!mountpoint.startsWith('/')) problems.push(`The mount point "${filesystem.mountpoint}" must be an absolute path, e.g. /var/data.`);
    else if (mountpoint === '/var') problems.push('/var itself cannot be a separate filesystem; use a folder below it, e.g. /var/data.');
    else if (mountpoint !== '/' && mountpoint !== '/boot' && !mountpoint.startsWith('/var/')) problems.push(`The mount point "${mountpoint}" is not allowed: only /, /boot and folders below /var can be filesystems of their own.`);
    else if (build.rootfs === 'btrfs' && mountpoint !== '/' && mountpoint !== '/boot') problems.push(`With a btrfs root filesystem only / and /boot can be sized; "${mountpoint}" cannot be a filesystem of its own.`);
    if (mountpoints.has(mountpoint)) problems.push(`The mount point "${mountpoint}" is listed twice.`);
    mountpoints.add(mountpoint);
    if (!SIZE.test(filesystem.minsize.trim())) problems.push(`The size "${filesystem.minsize}" of ${mountpoint} is not a size: write e.g. "10 GiB" or "512 MiB".`);
  }
  return problems;
}

/** The config as the TOML structure (passwords as given: plain or hashed). */
function configObject(answers: DiskConfigAnswers, password: (user: UserAnswer) => string | undefined): Record<string, unknown> {
  const customizations: Record<string, unknown> = {};
  const users = (answers.users ?? []).map((user) => {
    const entry: Record<string, unknown> = { name: user.name };
    const value = password(user);
    if (value !== undefined) entry.password = value;
    if (user.key?.trim()) entry.key = user.key.trim();
    if (user.groups && user.groups.length > 0) entry.groups = [...user.groups];
    return entry;
  });
  if (users.length > 0) customizations.user = users;
  if (answers.kernelAppend?.trim()) customizations.kernel = { append: answers.kernelAppend.trim() };
  if (answers.filesystems && answers.filesystems.length > 0) {
    customizations.filesystem = answers.filesystems.map((filesystem) => ({ mountpoint: filesystem.mountpoint.trim(), minsize: filesystem.minsize.trim() }));
  }
  if (answers.kickstart?.trim()) customizations.installer = { kickstart: { contents: answers.kickstart.endsWith('\n') ? answers.kickstart : `${answers.kickstart}\n` } };
  return { customizations };
}

/**
 * The config.toml text. Plain passwords are hashed with SHA-512 crypt (a new salt each time),
 * so the file never holds one; throws when {@link validateConfigAnswers} finds problems.
 */
export function buildConfigToml(answers: DiskConfigAnswers, build: { rootfs?: RootFs | string; types?: readonly string[] } = {}): string {
  const problems = validateConfigAnswers(answers, build);
  if (problems.length > 0) throw new Error(problems.join(' '));
  return toml.stringify(configObject(answers, (user) => (user.password ? (isCryptHash(user.password) ? user.password : sha512Crypt(user.password)) : undefined)));
}

/**
 * The config as shown to the user (output channel, preview): user passwords, and the values of
 * a kickstart's `--password`/`rootpw` options, replaced by `***`.
 */
export function describeConfig(answers: DiskConfigAnswers): string {
  const kickstart = answers.kickstart?.replace(/(--password[= ])("[^"]*"|\S+)/g, '$1***').replace(/^(\s*rootpw(?:\s+--(?!lock)[\w-]+)*\s+)(?!--)("[^"]*"|\S+)/gm, '$1***');
  return toml.stringify(configObject({ ...answers, kickstart }, (user) => (user.password ? '***' : undefined)));
}

/** Parses config.toml text (for reading back a saved config, and the tests) into plain objects. */
export function parseConfigToml(text: string): Record<string, unknown> {
  // smol-toml makes null-prototype objects; a config holds only strings, numbers, lists and tables.
  return JSON.parse(JSON.stringify(toml.parse(text))) as Record<string, unknown>;
}

/** A config.toml written to a private temporary folder. */
export interface TemporaryConfig {
  /** The config.toml file (mode 0600). */
  readonly path: string;
  /** Its folder (mode 0700), removed by {@link dispose}. */
  readonly folder: string;
  /** The content for display, passwords redacted. */
  describe(): string;
  /** Copies the config into the workspace (mode 0600), e.g. when the user keeps it. */
  saveAs(destination: string): void;
  /** Removes the file and its folder; safe to call twice. */
  dispose(): void;
}

/**
 * Writes the config to `config.toml` in a new folder under the temporary directory (mode
 * 0700, the file 0600, created exclusively) and registers every password with `redactor`.
 */
export function writeTemporaryConfig(answers: DiskConfigAnswers, options: { redactor?: Redactor; build?: { rootfs?: RootFs | string; types?: readonly string[] }; parent?: string } = {}): TemporaryConfig {
  for (const user of answers.users ?? []) if (user.password) options.redactor?.add(user.password);
  const text = buildConfigToml(answers, options.build);
  const folder = fs.mkdtempSync(path.join(options.parent ?? os.tmpdir(), 'bootc-config-'));
  fs.chmodSync(folder, 0o700);
  const file = path.join(folder, 'config.toml');
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    // The umask cannot widen 0600, but a umask-less filesystem might: make sure.
    fs.chmodSync(file, 0o600);
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  let disposed = false;
  return {
    path: file,
    folder,
    describe: () => describeConfig(answers),
    saveAs: (destination) => {
      fs.copyFileSync(file, destination);
      fs.chmodSync(destination, 0o600);
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
