/**
 * An Anaconda kickstart that installs a bootc image from the standard boot ISO, as the bootc
 * and Fedora/CentOS bootc documentation show it: no `%packages`, an `ostreecontainer --url`
 * line instead, text mode, DHCP, the disk wiped and partitioned, root locked or keyed, a user,
 * a reboot. Passwords are written as SHA-512 crypt hashes (`--iscrypted`), never in plain.
 * No `vscode` import.
 */
import type { Redactor } from '../process';
import { validateImageReference } from '../podman/reference';
import { isCryptHash, sha512Crypt } from './crypt';

/** How Anaconda fetches the image: from a registry (default), an OCI layout on the ISO, or containers-storage. */
export type KickstartTransport = 'registry' | 'oci' | 'containers-storage';

export interface KickstartOptions {
  /** The image to install (`ostreecontainer --url`): a registry reference, or a path for `oci`. */
  image: string;
  transport?: KickstartTransport;
  /** Default true; false adds `--no-signature-verification` (images not signed, or no policy on the ISO). */
  verifySignatures?: boolean;
  /** A user to create (in `wheel` unless `groups` says otherwise). */
  user?: { name: string; password?: string; key?: string; groups?: string[] };
  /** An SSH key for root; without it (and without `rootPassword`) root is locked. */
  rootKey?: string;
  rootPassword?: string;
  /** `autopart` (LVM, no swap; the default) or a plain `/` of this filesystem beside the required partitions. */
  partitioning?: 'autopart' | 'xfs' | 'ext4' | 'btrfs';
  /** Kernel arguments for the installed system (`bootloader --append`). */
  kernelAppend?: string;
  /** The image `bootc upgrade` follows after the install, when it differs from `image` (e.g. an `oci` install). */
  updateImage?: string;
  /** Default true. */
  reboot?: boolean;
}

function quote(value: string): string {
  // pykickstart splits lines with Python's shlex (POSIX mode): double quotes keep spaces, and
  // inside them a backslash escapes only `"` and `\` (a `$` stays literal, as crypt hashes need).
  return /^[\w@%+=:,./$-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

function hashed(password: string): string {
  return isCryptHash(password) ? password : sha512Crypt(password);
}

/** Everything wrong with the options, each a sentence; empty when the kickstart can be written. */
export function validateKickstartOptions(options: KickstartOptions): string[] {
  const problems: string[] = [];
  const transport = options.transport ?? 'registry';
  if (transport === 'oci') {
    if (!options.image.startsWith('/')) problems.push(`With the oci transport the image is a path on the installer (e.g. /run/install/repo/container), not "${options.image}".`);
  } else {
    const problem = validateImageReference(options.image, { allowDigest: true });
    if (problem) problems.push(problem);
  }
  if (options.updateImage) {
    const problem = validateImageReference(options.updateImage, { allowDigest: true });
    if (problem) problems.push(`The update image is not valid: ${problem}`);
  }
  if (options.user && !/^[a-z_][a-z0-9_-]{0,31}$/.test(options.user.name)) problems.push(`"${options.user.name}" is not a user name.`);
  if (options.user && !options.user.password && !options.user.key && !options.rootKey && !options.rootPassword) {
    problems.push(`The user "${options.user.name}" has neither a password nor an SSH key, and root is locked: nobody could log in.`);
  }
  for (const key of [options.user?.key, options.rootKey]) if (key !== undefined && /[\n\r]/.test(key.trim())) problems.push('An SSH key is one line.');
  if (options.kernelAppend !== undefined && /[\n\r]/.test(options.kernelAppend)) problems.push('The kernel arguments must be on one line.');
  return problems;
}

/**
 * The kickstart text; throws when {@link validateKickstartOptions} finds problems. Passwords are
 * registered with `redactor` (when given) and written hashed.
 */
export function buildKickstart(options: KickstartOptions, redactor?: Redactor): string {
  const problems = validateKickstartOptions(options);
  if (problems.length > 0) throw new Error(problems.join(' '));
  for (const secret of [options.user?.password, options.rootPassword]) if (secret) redactor?.add(secret);

  const lines = [
    `# Installs ${options.image} with Anaconda from a standard boot ISO (inst.ks=...).`,
    '# Written by the Bootc extension. There is no %packages section: the container image is the OS.',
    'text',
    'network --bootproto=dhcp --device=link --activate --onboot=on',
    '',
    '# Wipes the first disk.',
    'zerombr',
    'clearpart --all --initlabel --disklabel=gpt',
  ];
  const partitioning = options.partitioning ?? 'autopart';
  if (partitioning === 'autopart') lines.push('autopart --noswap --type=lvm');
  else lines.push('reqpart --add-boot', `part / --grow --fstype=${partitioning}`);
  if (options.kernelAppend?.trim()) lines.push(`bootloader --append=${quote(options.kernelAppend.trim())}`);

  lines.push('', '# The image to install.');
  const url = [`ostreecontainer --url=${quote(options.image)}`];
  if (options.transport && options.transport !== 'registry') url.push(`--transport=${options.transport}`);
  if (options.verifySignatures === false) url.push('--no-signature-verification');
  lines.push(url.join(' '));

  lines.push('');
  if (options.rootPassword) lines.push(`rootpw --iscrypted ${quote(hashed(options.rootPassword))}`);
  else lines.push('rootpw --lock');
  if (options.rootKey?.trim()) lines.push(`sshkey --username=root ${quote(options.rootKey.trim())}`);
  if (options.user) {
    const groups = options.user.groups ?? ['wheel'];
    const user = [`user --name=${options.user.name}`];
    if (groups.length > 0) user.push(`--groups=${groups.join(',')}`);
    if (options.user.password) user.push('--iscrypted', `--password=${quote(hashed(options.user.password))}`);
    lines.push(user.join(' '));
    if (options.user.key?.trim()) lines.push(`sshkey --username=${options.user.name} ${quote(options.user.key.trim())}`);
  }

  if (options.updateImage && options.updateImage !== options.image) {
    lines.push('', '# Follow the registry image for updates.', '%post --erroronfail', `bootc switch --mutate-in-place --transport registry ${quote(options.updateImage)}`, '%end');
  }
  if (options.reboot !== false) lines.push('', 'reboot');
  return `${lines.join('\n')}\n`;
}

/**
 * Kickstart commands for the builder's `anaconda-iso` config (`customizations.installer.kickstart`):
 * the same install without the `ostreecontainer` line, which the builder adds itself.
 */
export function builderKickstart(options: Omit<KickstartOptions, 'image' | 'transport' | 'verifySignatures' | 'updateImage'>, redactor?: Redactor): string {
  const full = buildKickstart({ ...options, image: 'localhost/placeholder:latest' }, redactor);
  return full
    .split('\n')
    .filter((line) => !line.startsWith('ostreecontainer ') && !line.startsWith('# Installs ') && line !== '# The image to install.')
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
