/**
 * Picking the image for a disk build: bootc images in local storage, the root filesystem their
 * labels suggest, and getting an image into root's storage when podman runs rootless (the
 * builder only reads /var/lib/containers/storage). Argument arrays and parsers only; the
 * commands run them through client/src/process.ts (privileged ones in a terminal, so that
 * sudo/pkexec asks for the password there; the extension never sees or stores it).
 * No `vscode` import.
 */
import type { RootFs } from './builder';

/** Labels that mark a bootc image (`ostree.bootable` is the older one, still set by base images). */
export const BOOTC_LABELS = ['containers.bootc', 'ostree.bootable'] as const;

/** `podman images` listing the images carrying `label` (run once per {@link BOOTC_LABELS} entry and merge). */
export function listBootcImagesArgs(label: (typeof BOOTC_LABELS)[number]): string[] {
  return ['images', '--filter', `label=${label}`, '--format', 'json'];
}

/** A local bootc image. */
export interface LocalImage {
  id: string;
  /** Its names (`localhost/my-os:latest`), the first one the one to use. */
  names: string[];
  labels: Record<string, string>;
  /** Unix seconds. */
  created: number;
  size?: number;
}

/**
 * Parses and merges `podman images --format json` outputs (one per label): images with no name
 * (dangling) are left out, each image once, newest first; `preferred` (the last built image)
 * goes first when present. Throws on output that is not podman's JSON.
 */
export function parseImageList(outputs: readonly string[], preferred?: string): LocalImage[] {
  const byId = new Map<string, LocalImage>();
  for (const output of outputs) {
    const text = output.trim();
    if (text === '') continue;
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) throw new Error('podman images did not print a JSON list.');
    for (const entry of parsed as Record<string, unknown>[]) {
      const id = typeof entry.Id === 'string' ? entry.Id : typeof entry.ID === 'string' ? entry.ID : undefined;
      const names = Array.isArray(entry.Names) ? entry.Names.filter((name): name is string => typeof name === 'string' && !name.includes('<none>')) : [];
      if (!id || names.length === 0 || byId.has(id)) continue;
      const image: LocalImage = { id, names, labels: stringRecord(entry.Labels), created: typeof entry.Created === 'number' ? entry.Created : 0 };
      if (typeof entry.Size === 'number') image.size = entry.Size;
      byId.set(id, image);
    }
  }
  const images = [...byId.values()].sort((a, b) => b.created - a.created);
  if (preferred) {
    const index = images.findIndex((image) => image.names.includes(preferred) || image.id === preferred || image.id.startsWith(preferred));
    if (index > 0) images.unshift(...images.splice(index, 1));
  }
  return images;
}

/** True when the labels mark a bootc image. */
export function isBootcImage(labels: Record<string, string>): boolean {
  return labels['containers.bootc'] === '1' || ['true', '1'].includes(labels['ostree.bootable'] ?? '');
}

/** `podman image inspect --format json IMAGE`: its labels and architecture. */
export function inspectImageArgs(image: string): string[] {
  return ['image', 'inspect', '--format', 'json', image];
}

export interface ImageDetails {
  id: string;
  labels: Record<string, string>;
  architecture?: string;
  os?: string;
}

/** Parses `podman image inspect --format json` (a list with one entry per image); throws on other output. */
export function parseImageInspect(output: string): ImageDetails {
  const parsed = JSON.parse(output) as unknown;
  const entry = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown> | undefined;
  if (!entry || typeof entry !== 'object') throw new Error('podman image inspect printed no image.');
  const config = (entry.Config ?? {}) as Record<string, unknown>;
  const details: ImageDetails = { id: String(entry.Id ?? ''), labels: { ...stringRecord(config.Labels), ...stringRecord(entry.Labels) } };
  if (typeof entry.Architecture === 'string') details.architecture = entry.Architecture;
  if (typeof entry.Os === 'string') details.os = entry.Os;
  return details;
}

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (typeof item === 'string') record[key] = item;
  }
  return record;
}

/** What to preselect for the root filesystem, and whether the builder needs `--rootfs` at all. */
export interface RootfsDefault {
  /** The filesystem to preselect. */
  rootfs: RootFs;
  /** The builder fails without `--rootfs` (the image configures no default). */
  required: boolean;
  /** Why, for the quick pick's detail. */
  reason: string;
}

/**
 * The root filesystem to preselect for an image. The builder takes the default from the image's
 * bootc install configuration (`/usr/lib/bootc/install/*.toml`, `[install.filesystem.root]`),
 * which labels do not carry; the family does: CentOS/RHEL and their rebuilds configure `xfs`,
 * Fedora configures none, so the builder refuses to run without `--rootfs` (its own tests
 * build Fedora with `btrfs`, Fedora's default filesystem). The family comes from the
 * `redhat.id` label that Fedora/CentOS/RHEL bootc base images set, else from the image or base
 * image name. Unknown images get `ext4`, required, since only `--rootfs` is sure to work.
 */
export function defaultRootfs(labels: Record<string, string>, baseName = ''): RootfsDefault {
  const family = (labels['redhat.id'] ?? '').toLowerCase() || familyFromName(baseName.toLowerCase());
  if (['centos', 'rhel', 'almalinux', 'rocky', 'heliumos', 'stillos'].includes(family)) {
    return { rootfs: 'xfs', required: false, reason: `${family} bootc images default to xfs` };
  }
  if (family === 'fedora') return { rootfs: 'btrfs', required: true, reason: 'Fedora bootc images set no default root filesystem; Fedora uses btrfs' };
  return { rootfs: 'ext4', required: true, reason: 'the image does not say which root filesystem it expects' };
}

function familyFromName(name: string): string {
  // Matched on the repository path (`quay.io/fedora/fedora-bootc:42`, `registry.redhat.io/rhel9/rhel-bootc`).
  const repository = name.replace(/[:@].*$/, '');
  for (const [family, pattern] of [
    ['fedora', /(?:^|[/_-])fedora(?:[/_-]|$)|fedora-bootc|bazzite|bluefin|aurora/],
    ['centos', /centos/],
    ['rhel', /(?:^|[/_-])rhel\d*(?:[/_-]|$)/],
    ['almalinux', /almalinux/],
    ['rocky', /rocky/],
  ] as const) {
    if (pattern.test(repository)) return family;
  }
  return '';
}

/** `podman info --format {{.Host.Security.Rootless}}`: prints `true` when podman runs rootless. */
export const ROOTLESS_PROBE_ARGS = ['info', '--format', '{{.Host.Security.Rootless}}'];

/** Reads the output of {@link ROOTLESS_PROBE_ARGS}; undefined when it is neither true nor false. */
export function parseRootless(output: string): boolean | undefined {
  const text = output.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/** How to get root's rights in a terminal: sudo asks for the password there, pkexec in a desktop dialog. */
export type Elevation = 'sudo' | 'pkexec';

/** A program and its arguments, to start in a terminal (never through a shell). */
export interface CommandLine {
  command: string;
  args: string[];
}

/**
 * Copies a rootless image into root's storage with `podman image scp IMAGE root@localhost::`,
 * run as the user: podman itself asks for root through sudo, in the terminal it runs in.
 */
export function copyToRootWithScp(podmanPath: string, image: string): CommandLine {
  return { command: podmanPath, args: ['image', 'scp', image, 'root@localhost::'] };
}

/**
 * The other way, for podman versions whose scp cannot: `podman save` to an archive the user
 * owns, then `podman load` of it as root. Two commands, run one after the other; the archive
 * is the caller's to remove. `podmanPath` must be absolute for pkexec, which clears PATH.
 */
export function copyToRootWithSaveLoad(podmanPath: string, image: string, archive: string, elevation: Elevation = 'sudo'): [CommandLine, CommandLine] {
  return [
    { command: podmanPath, args: ['save', '--format', 'oci-archive', '-o', archive, image] },
    elevated(elevation, podmanPath, ['load', '-i', archive]),
  ];
}

/** `sudo PROGRAM ARGS…` or `pkexec PROGRAM ARGS…`. */
export function elevated(elevation: Elevation, command: string, args: readonly string[]): CommandLine {
  return { command: elevation, args: [command, ...args] };
}
