/**
 * What happens on an installed bootc system to files the image puts at a path: first the
 * well-known directories bootc projects write to, then the lifecycle of the tree the path is in
 * (`/usr` replaced by updates, `/etc` 3-way merged, `/var` copied only at the first install...).
 * Where base images differ (`/usr/local`, `/opt`, `/srv`...) the text says so instead of guessing.
 */
import { DOCS } from './docs';
import type { ImageDistro } from './images';

export interface BootcDirectory {
  /** Absolute, without a trailing slash. */
  path: string;
  /** A few words for the completion list. */
  purpose: string;
  /** Markdown, one or two sentences. */
  text: string;
  docs: string;
  /** Offered by completion in `COPY`/`ADD` destinations and `RUN` arguments. */
  completion: boolean;
}

export const BOOTC_DIRECTORIES: readonly BootcDirectory[] = [
  {
    path: '/usr/lib/bootc/kargs.d',
    purpose: 'kernel arguments (TOML)',
    text: 'Kernel arguments shipped with the image: `*.toml` files with `kargs = ["..."]` (optionally `match-architectures`). bootc applies them at install; on updates it applies the difference between the old and new files and keeps machine-local arguments.',
    docs: DOCS.kernelArguments,
    completion: true,
  },
  {
    path: '/usr/lib/sysusers.d',
    purpose: 'system users and groups',
    text: '`sysusers.d` files that create system users and groups at boot (`u name - "Description" /home/dir`). Prefer them to `useradd` in a `RUN`: that writes `/etc/passwd` and `/etc/group`, and a machine that changed those files locally stops receiving the image\'s versions.',
    docs: DOCS.usersAndGroups,
    completion: true,
  },
  {
    path: '/usr/lib/tmpfiles.d',
    purpose: 'directories in /var and /run at boot',
    text: '`tmpfiles.d` files that create directories, files and symlinks at boot (`d /var/lib/app 0750 app app -`). Use them for anything a service needs under `/var` or `/run`: the image\'s own `/var` content reaches a machine only at its first install.',
    docs: DOCS.tmpfiles,
    completion: true,
  },
  {
    path: '/usr/lib/systemd/system',
    purpose: 'systemd system units',
    text: 'systemd units shipped with the image; they are read-only and replaced on updates. Enable them at build time with `systemctl enable` or a preset file.',
    docs: DOCS.systemdUnit,
    completion: true,
  },
  {
    path: '/usr/lib/systemd/user',
    purpose: 'systemd user units',
    text: 'systemd units for users\' service managers, shipped with the image (enable them for all users with `systemctl --global enable`).',
    docs: DOCS.systemdUnit,
    completion: true,
  },
  {
    path: '/usr/lib/systemd/system-preset',
    purpose: 'which units are enabled by default',
    text: 'Preset files (`enable app.service`) that decide which units are enabled; `systemctl preset` applies them.',
    docs: DOCS.systemdPreset,
    completion: true,
  },
  {
    path: '/usr/share/containers/systemd',
    purpose: 'Quadlet containers shipped with the image',
    text: 'Quadlet files (`.container`, `.pod`, `.volume`, `.network`, `.image`, ...) that podman turns into systemd services at boot; here they are read-only and updated with the image.',
    docs: DOCS.quadlet,
    completion: true,
  },
  {
    path: '/etc/containers/systemd',
    purpose: 'Quadlet containers (admin location)',
    text: 'Quadlet files that podman turns into systemd services at boot. Under `/etc` they can be changed on a machine, and updates 3-way merge them; `/usr/share/containers/systemd` keeps them image-owned.',
    docs: DOCS.quadlet,
    completion: true,
  },
  {
    path: '/usr/lib/bootc/bound-images.d',
    purpose: 'logically bound images',
    text: 'Symlinks to Quadlet `.container` or `.image` files: bootc pulls the images they name together with each update of the system, so the containers are ready when it boots.',
    docs: DOCS.logicallyBoundImages,
    completion: true,
  },
  {
    path: '/usr/lib/bootc/install',
    purpose: 'bootc install configuration (TOML)',
    text: 'Configuration for `bootc install` (and installers that use it) as `*.toml` files, e.g. the root filesystem type under `[install.filesystem.root]`.',
    docs: DOCS.installConfig,
    completion: true,
  },
  {
    path: '/usr/lib/sysctl.d',
    purpose: 'kernel parameters (sysctl) at boot',
    text: '`sysctl.d` files applied at every boot; the image owns them, so updates change them.',
    docs: DOCS.sysctlD,
    completion: true,
  },
  {
    path: '/etc/systemd/system',
    purpose: 'systemd units and drop-ins (admin location)',
    text: 'Units, drop-ins and the `*.wants/` symlinks that `systemctl enable` creates. Prefer `/usr/lib/systemd/system` for units the image ships: `/etc` is machine-local and 3-way merged on updates.',
    docs: DOCS.systemdUnit,
    completion: true,
  },
  {
    path: '/etc/sudoers.d',
    purpose: 'sudo rules as drop-in files',
    text: 'Drop-in files for sudo rules: better than editing `/etc/sudoers`, which then stops receiving updates from the image on machines where it was changed.',
    docs: DOCS.guidance,
    completion: true,
  },
  {
    path: '/usr/lib/ostree/prepare-root.conf',
    purpose: 'root filesystem setup (composefs, transient root/etc)',
    text: 'Configures how the root is mounted at boot (`[composefs] enabled`, `[root] transient`, `[etc] transient`). Regenerate the initramfs after changing it.',
    docs: DOCS.filesystem,
    completion: false,
  },
  {
    path: '/usr/lib/modules',
    purpose: 'kernel and modules',
    text: 'The kernel, its modules and the initramfs (`/usr/lib/modules/<version>/vmlinuz`, `initramfs.img`): bootc boots the kernel it finds here, and `bootc container lint` warns when there are several.',
    docs: DOCS.guidance,
    completion: false,
  },
  {
    path: '/usr/etc',
    purpose: 'internal (do not write)',
    text: 'Internal to bootc/ostree (the image\'s default `/etc`, generated on the client): do not put files here; `bootc container lint` flags it. Write to `/etc` instead.',
    docs: DOCS.filesystemEtc,
    completion: false,
  },
];

/** The directories completion offers, with their purpose. */
export const COMPLETION_DIRECTORIES: readonly BootcDirectory[] = BOOTC_DIRECTORIES.filter((directory) => directory.completion);

export interface TreeLifecycle {
  /** The tree the path belongs to (`/usr`, `/etc`, `/var`, ...), or `/` for other top-level directories. */
  root: string;
  /** Markdown. */
  text: string;
  docs: string;
}

/** Lexical normalisation: `//`, `.` and `..` resolved, no trailing slash. Undefined for relative paths. */
export function normalizePath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function within(path: string, directory: string): boolean {
  return path === directory || path.startsWith(directory + '/');
}

/** The well-known bootc directory (or file) a path is or lies in; the most specific one wins. */
export function wellKnownDirectory(path: string): BootcDirectory | undefined {
  const normal = normalizePath(path);
  if (normal === undefined) return undefined;
  let best: BootcDirectory | undefined;
  for (const directory of BOOTC_DIRECTORIES) {
    if (within(normal, directory.path) && (!best || directory.path.length > best.path.length)) best = directory;
  }
  return best;
}

const IMAGE_OWNED = 'read-only on the installed system and owned by the image: every update replaces it with the new image\'s content, and local changes are not possible';

function usrLocal(distro: ImageDistro | undefined): string {
  const plain = 'As a plain directory it is image content, ' + IMAGE_OWNED + '. As a symlink to `/var/usrlocal` its content lives in `/var`: copied from the image only at the first install, then owned by the machine.';
  if (distro === 'centos' || distro === 'rhel') return '`/usr/local` is a plain directory in CentOS Stream and RHEL bootc images (what bootc recommends for base images). ' + plain;
  if (distro === 'fedora') return '`/usr/local` is a symlink to `/var/usrlocal` in Fedora bootc images (check with `ls -ld /usr/local` in yours). ' + plain;
  return 'Whether `/usr/local` is a plain directory or a symlink to `/var/usrlocal` depends on the base image (plain in CentOS Stream and RHEL bootc, a symlink in Fedora bootc; check with `ls -ld /usr/local`). ' + plain;
}

function varies(directory: string, target: string): string {
  return `What \`${directory}\` is depends on the base image: often a symlink into \`/var\` (such as \`${target}\`), whose content is copied from the image only at the first install and then owned by the machine; otherwise a plain directory of the image, read-only and replaced by updates. Check with \`ls -ld ${directory}\` in your base image.`;
}

/** The lifecycle, on an installed system, of content the image places at an absolute path. */
export function treeLifecycle(path: string, options: { distro?: ImageDistro } = {}): TreeLifecycle {
  const normal = normalizePath(path) ?? '/';
  const is = (directory: string) => within(normal, directory);
  if (is('/usr/local')) return { root: '/usr/local', text: usrLocal(options.distro), docs: DOCS.filesystemUsrLocal };
  if (is('/usr/etc')) return { root: '/usr/etc', text: 'Internal to bootc/ostree: do not put files in `/usr/etc`; write to `/etc`.', docs: DOCS.filesystemEtc };
  if (is('/usr')) return { root: '/usr', text: `\`/usr\` is ${IMAGE_OWNED} (\`bootc usr-overlay\` only adds a transient writable layer until reboot). Put executables, libraries and static configuration here.`, docs: DOCS.filesystemUsr };
  if (is('/etc')) return { root: '/etc', text: '`/etc` is machine-local configuration that persists. On each update bootc performs a 3-way merge: a file you change in the image is updated on machines that did not modify it, while a locally modified file keeps the local version (and stops receiving the image\'s changes). Prefer drop-in directories, or `/usr` for static configuration.', docs: DOCS.filesystemEtc };
  if (is('/var/home') || normal === '/home' || normal.startsWith('/home/')) return { root: '/home', text: '`/home` is a symlink to `/var/home` in the usual bootc base images, so it is part of `/var`: what the image puts there is copied only at the first install and never updated. Create users at install time (bootc-image-builder config, kickstart), or system users with `sysusers.d`, instead of populating home directories.', docs: DOCS.usersAndGroups };
  if (is('/var/roothome') || is('/root')) return { root: '/root', text: '`/root` is a symlink to `/var/roothome` in the usual bootc base images, so it is part of `/var`: what the image puts there is copied only at the first install and never updated. Provide root\'s SSH keys at install time or through the mechanisms in the users and groups guide.', docs: DOCS.usersAndGroups };
  if (is('/var/usrlocal')) return { root: '/var', text: usrLocal(options.distro), docs: DOCS.filesystemUsrLocal };
  if (is('/var')) return { root: '/var', text: '`/var` is copied from the image only when a machine is first installed (like a container `VOLUME`); after that it belongs to the machine, persists, and updates never change it. Create directories a service needs with a `tmpfiles.d` entry or `StateDirectory=` instead of shipping them.', docs: DOCS.filesystemVar };
  if (is('/opt')) return { root: '/opt', text: `Unless the base image makes \`/opt\` a symlink to \`/var/opt\` (check with \`ls -ld /opt\`), \`/opt\` is ${IMAGE_OWNED}. Software that writes under \`/opt\` needs those directories symlinked into \`/var\` (or \`BindPaths=\` in its unit).`, docs: DOCS.filesystemOpt };
  if (is('/run')) return { root: '/run', text: '`/run` is a tmpfs, empty at every boot: content the image puts there is never seen, and shipping content in it is not supported. Create runtime files with `tmpfiles.d` or `RuntimeDirectory=`.', docs: DOCS.filesystemOther };
  if (is('/tmp')) return { root: '/tmp', text: 'Temporary space, not for image content: `/tmp` is typically a tmpfs that starts empty at each boot, and files left there by the build only waste space in the image.', docs: DOCS.filesystemOther };
  if (is('/boot')) return { root: '/boot', text: '`/boot` is managed by bootc and the bootloader on the installed system; the kernel and initramfs come from `/usr/lib/modules/<version>/`. Leave `/boot` empty in the image (`bootc container lint` checks it).', docs: DOCS.filesystem };
  if (is('/sysroot') || is('/ostree')) return { root: normal.startsWith('/ostree') ? '/ostree' : '/sysroot', text: 'The physical root of the installed system, managed by bootc: do not write here from the image.', docs: DOCS.filesystemSysroot };
  if (is('/proc') || is('/sys') || is('/dev')) return { root: '/' + normal.split('/')[1], text: 'An API filesystem the kernel mounts at boot: shipping content in it is not supported, and nothing the image puts there is seen.', docs: DOCS.filesystemOther };
  if (is('/srv')) return { root: '/srv', text: varies('/srv', '/var/srv'), docs: DOCS.filesystemOther };
  if (is('/mnt')) return { root: '/mnt', text: varies('/mnt', '/var/mnt'), docs: DOCS.filesystemOther };
  if (is('/media')) return { root: '/media', text: varies('/media', '/run/media'), docs: DOCS.filesystemOther };
  const top = normal === '/' ? '/' : '/' + normal.split('/')[1];
  return { root: '/', text: `Content under \`${top}\` is lifecycled with the image: read-only on the installed system and replaced by updates, like \`/usr\`.`, docs: DOCS.filesystemOther };
}

/**
 * Hover markdown for a path the image writes: the well-known directory first, then the lifecycle
 * of its tree. In a builder stage nothing reaches the installed system, and the text says only that.
 */
export function describePath(path: string, options: { distro?: ImageDistro; builderStage?: boolean } = {}): string | undefined {
  const normal = normalizePath(path);
  if (normal === undefined) return undefined;
  if (options.builderStage) {
    return `\`${normal}\` in a builder stage: nothing this stage writes reaches the installed system, unless a shipped stage copies it with \`COPY --from=\`.`;
  }
  const parts: string[] = [];
  const directory = wellKnownDirectory(normal);
  if (directory) parts.push(`**\`${directory.path}\`** — ${directory.purpose}\n\n${directory.text} [Documentation](${directory.docs})`);
  const tree = treeLifecycle(normal, options);
  parts.push(`**\`${normal}\`** on an installed bootc system\n\n${tree.text} [Documentation](${tree.docs})`);
  return parts.join('\n\n');
}
