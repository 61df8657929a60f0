import { defineRule, shippedInstructions } from '../../rule';
import { isUnder, type FsWrite } from '../../analysis/filesystem';
import { extraWrites, firstPerInstruction, presentWrites } from '../../analysis/layout';

/** Home directories: `/home` and `/root` are symlinks to these under `/var` on bootc systems. */
const HOMES = ['/home', '/var/home', '/root', '/var/roothome'];

function inHome(write: FsWrite): boolean {
  if (write.kind === 'attributes') return false;
  // Creating (empty) directories is not content; useradd -m is the sysusers rule's concern.
  if (write.kind === 'directory') return false;
  // `ln -s var/roothome /root`: the standard layout link itself, not content in a home.
  if (write.kind === 'symlink' && HOMES.includes(write.path)) return false;
  return HOMES.some((home) => isUnder(write.path, home));
}

export default defineRule({
  meta: {
    id: 'home-content',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Content written to home directories (/home, /root), which is applied only at first install.',
    explanation:
      'On bootc systems /home and /root live in machine-local /var (/var/home, /var/roothome): what the image puts there is copied once at first install and never updated by later images. Ship files such as authorized_keys with a tmpfiles.d `f~` entry (base64 content), cloud-init, or `bootc install --root-ssh-authorized-keys`.',
    fixable: false,
  },
  check(context) {
    const fs = context.filesystem();
    const writes = [...presentWrites(fs), ...extraWrites(shippedInstructions(context.file), fs)].filter(inHome);
    for (const write of firstPerInstruction(writes)) {
      const sshKeys = /\/\.ssh(\/|$)/.test(write.path);
      context.report({
        range: write.range,
        message:
          `${write.writtenAs ?? write.path} is in a home directory, which bootc keeps in machine-local /var: it is copied only at first install and later images never update it. ` +
          (sshKeys
            ? 'Provision SSH keys with `bootc install --root-ssh-authorized-keys`, cloud-init, or a tmpfiles.d `f~` entry with base64 content in /usr/lib/tmpfiles.d/.'
            : 'Create the file at boot with a tmpfiles.d `f~` entry with base64 content in /usr/lib/tmpfiles.d/, or provision it with cloud-init (SSH keys: `bootc install --root-ssh-authorized-keys`).'),
      });
    }
  },
});
