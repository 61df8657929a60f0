/**
 * The pure decisions of the disk and VM commands, apart from their prompts: where the output
 * goes, which builder runs, how the builder is started when podman is rootless, what the
 * guided config editor's free-text answers mean, the picker's order of images and disks, and
 * the `ssh` command line. No `vscode` import: the tests use it directly.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiskBuilder } from '../../../server/src/settings';
import { BUILDER_PRESETS, builderImageFor, IMAGE_TYPES, type BuildArtifact } from '../disk/builder';
import type { FilesystemAnswer } from '../disk/config';
import { copyToRootWithSaveLoad, copyToRootWithScp, isBootcImage, type CommandLine, type Elevation, type LocalImage } from '../disk/images';
import type { DiskFormat } from '../vm/qemu';
import { diskFormatFromName } from '../vm/qemu';

/**
 * The output folder: `setting` (default `output`) with `${workspaceFolder}` replaced, resolved
 * against the Containerfile's folder (or the workspace folder when there is no Containerfile).
 */
export function outputFolderFor(setting: string, base: string, workspaceFolder: string = base): string {
  const value = (setting.trim() || 'output').replace(/\$\{workspaceFolder\}/g, workspaceFolder).replace(/^~(?=$|\/)/, os.homedir());
  return path.resolve(base, value);
}

/** The builder image of the `bootc.disk.builder` setting (and `bootc.disk.customBuilderImage`). */
export function builderImageOf(settings: { builder: DiskBuilder; customBuilderImage: string }): string {
  return builderImageFor(settings.builder, settings.customBuilderImage);
}

/** Human names of the presets, for pickers and messages. */
export const BUILDER_LABELS: Record<DiskBuilder, string> = {
  centos: `CentOS (${BUILDER_PRESETS.centos})`,
  rhel9: `RHEL 9 (${BUILDER_PRESETS.rhel9})`,
  rhel10: `RHEL 10 (${BUILDER_PRESETS.rhel10})`,
  custom: 'Custom (bootc.disk.customBuilderImage)',
};

/**
 * How the builder's `podman run` is started. Rootful podman runs it directly. Rootless podman
 * cannot (the builder needs root's storage and loop devices), so it runs as root through
 * `pkexec`, which asks for the password in a desktop dialog of its own; the extension never
 * sees it. `pkexec` clears PATH, hence the absolute podman path.
 */
export function builderInvocation(podman: { path: string; globalArgs: readonly string[] }, runArgs: readonly string[], rootless: boolean, absolutePodman: string = podman.path): CommandLine {
  if (!rootless) return { command: podman.path, args: [...podman.globalArgs, ...runArgs] };
  // A rootless user's global options (--connection, --root) name the user's podman, not root's.
  return { command: 'pkexec', args: [absolutePodman, ...runArgs] };
}

/** How a rootless user's image gets into root's storage: `podman image scp` (podman 4+), or `podman save` then an elevated `podman load`. */
export type RootCopyMethod = 'scp' | 'save-load';

/** What Create Disk Image runs, in order. */
export interface DiskBuildPlan {
  /**
   * A multi-architecture reference only (empty otherwise): `podman pull --platform` of the target
   * architecture, run before the copy, as the user with podman's global options (no terminal:
   * nothing asks for a password). Rootful podman pulls straight into root's storage; rootless
   * podman pulls into the user's (with the user's registry logins and registries.conf), then
   * `copyToRoot` brings the image to root as it does any other.
   */
  pull: CommandLine[];
  /**
   * Rootless podman only (empty otherwise): the commands that copy the image into root's
   * storage, each run in a VS Code terminal of its own, one after the other, so that sudo (or
   * pkexec) asks for the password there; the extension never reads it.
   */
  copyToRoot: CommandLine[];
  /** The builder's `podman run` (see {@link builderInvocation}). */
  builder: CommandLine;
}

/**
 * The commands of one Create Disk Image run. Rootful podman runs the builder at once. Rootless
 * podman first copies the image into root's storage (the builder reads
 * /var/lib/containers/storage) with the user's own podman and global options, then runs the
 * builder as root. `save-load` needs `archive`: a file in a private folder the caller removes.
 */
export function diskBuildPlan(input: {
  podman: { path: string; globalArgs: readonly string[] };
  /** podman's absolute path: pkexec and sudo's secure_path do not search the user's PATH. */
  absolutePodman: string;
  rootless: boolean;
  image: string;
  runArgs: readonly string[];
  copy?: RootCopyMethod;
  archive?: string;
  elevation?: Elevation;
  /** The `podman pull` arguments of a registry reference (resolveTargetImage in disk/pull.ts). */
  pullArgs?: readonly string[];
}): DiskBuildPlan {
  const builder = builderInvocation(input.podman, input.runArgs, input.rootless, input.absolutePodman);
  const asUser = (line: CommandLine): CommandLine => ({ command: line.command, args: [...input.podman.globalArgs, ...line.args] });
  const pull = input.pullArgs ? [asUser({ command: input.podman.path, args: [...input.pullArgs] })] : [];
  if (!input.rootless) return { pull, copyToRoot: [], builder };
  if ((input.copy ?? 'scp') === 'scp') return { pull, copyToRoot: [asUser(copyToRootWithScp(input.absolutePodman, input.image))], builder };
  if (!input.archive) throw new Error('Copying with podman save and load needs an archive path.');
  const [save, load] = copyToRootWithSaveLoad(input.absolutePodman, input.image, input.archive, input.elevation ?? 'sudo');
  return { pull, copyToRoot: [asUser(save), load], builder };
}

/** The commands that stop a builder container by its name: `podman stop` (graceful), then `podman rm -f`. */
export function stopBuilderArgs(containerName: string): string[][] {
  return [
    ['stop', '--ignore', '--time', '5', containerName],
    ['rm', '--force', '--ignore', containerName],
  ];
}

/**
 * The guided editor's filesystems answer: `mountpoint=size` pairs separated by commas or
 * semicolons (`/=10 GiB, /var/data=20 GiB`); empty for none. Throws with what to write
 * instead on a pair without `=`.
 */
export function parseFilesystems(text: string): FilesystemAnswer[] {
  const answers: FilesystemAnswer[] = [];
  for (const part of text.split(/[,;]/)) {
    const pair = part.trim();
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error(`"${pair}" is not mountpoint=size, e.g. /var/data=20 GiB.`);
    answers.push({ mountpoint: pair.slice(0, equals).trim(), minsize: pair.slice(equals + 1).trim() });
  }
  return answers;
}

/** The groups answer: names separated by commas or spaces. */
export function parseGroups(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The images for the picker: bootc images only, `preferred` (the last built) first, then newest first. */
export function orderImages(images: readonly LocalImage[], preferred: readonly string[]): LocalImage[] {
  const bootc = images.filter((image) => isBootcImage(image.labels));
  const rank = (image: LocalImage) => {
    const index = preferred.findIndex((name) => image.names.includes(name) || image.names.includes(`localhost/${name}`));
    return index < 0 ? preferred.length : index;
  };
  return [...bootc].sort((a, b) => rank(a) - rank(b) || b.created - a.created);
}

/** Image types in the multi-select, `qcow2` picked, each with where its artifact goes. */
export function imageTypeChoices(previous: readonly string[] = ['qcow2']): { type: string; picked: boolean; detail: string }[] {
  return Object.entries(IMAGE_TYPES).map(([type, info]) => ({
    type,
    picked: previous.includes(type),
    detail: `${info.folder}/${info.file ?? ''}${info.iso ? ' (installer ISO: build alone)' : ''}`,
  }));
}

/** A disk the VM can boot, with its format; undefined for other files. */
export function bootableDisk(file: string): { path: string; format: DiskFormat } | undefined {
  const format = diskFormatFromName(file);
  return format ? { path: file, format } : undefined;
}

/** The disks of a build that exist, bootable first (qcow2 before raw): what Open in VM offers. */
export function bootableArtifacts(artifacts: readonly BuildArtifact[], exists: (file: string) => boolean): BuildArtifact[] {
  const order = (artifact: BuildArtifact) => (artifact.type === 'qcow2' ? 0 : artifact.type === 'raw' ? 1 : 2);
  return artifacts.filter((artifact) => artifact.bootable && exists(artifact.path)).sort((a, b) => order(a) - order(b));
}

/**
 * `ssh` into a VM whose port 22 is forwarded from 127.0.0.1:`port`. Each VM has new host keys
 * on a port another VM may have used: `NoHostAuthenticationForLocalhost` skips the check for
 * 127.0.0.1 only, so known_hosts is neither polluted nor a reason to refuse.
 */
export function sshArgs(port: number, user: string, extra: readonly string[] = []): string[] {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${port} is not a port number.`);
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(user)) throw new Error(`"${user}" is not a user name.`);
  return ['-p', String(port), '-o', 'NoHostAuthenticationForLocalhost=yes', ...extra, `${user}@127.0.0.1`];
}

/** A short id for a VM, unique in this window: `vm-1`, `vm-2`... */
export function nextVmId(existing: Iterable<string>): string {
  const taken = new Set(existing);
  for (let n = 1; ; n++) if (!taken.has(`vm-${n}`)) return `vm-${n}`;
}
