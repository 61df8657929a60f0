/**
 * The bootc-image-builder command line, checked before anything runs. The options and rules
 * follow the builder's own sources (osbuild/bootc-image-builder: bib/cmd/bootc-image-builder/main.go,
 * bib/internal/imagetypes/imagetypes.go) so that what the builder would refuse after pulling and
 * starting is refused here first, with a message that says what to change.
 * No `vscode` import: the tests and the benchmark use it directly.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { validateImageReference } from '../podman/reference';

/** Where the builder looks for images: it must see root's container storage, mounted at the same path. */
export const ROOT_CONTAINER_STORAGE = '/var/lib/containers/storage';

/** Every image type the builder knows (`--type`), with the folder below /output its artifact goes to. */
export const IMAGE_TYPES = {
  qcow2: { folder: 'qcow2', file: 'disk.qcow2', iso: false, legacy: false },
  raw: { folder: 'image', file: 'disk.raw', iso: false, legacy: false },
  ami: { folder: 'image', file: 'disk.raw', iso: false, legacy: false },
  vmdk: { folder: 'vmdk', file: 'disk.vmdk', iso: false, legacy: false },
  vhd: { folder: 'vpc', file: 'disk.vhd', iso: false, legacy: false },
  gce: { folder: 'gce', file: 'image.tar.gz', iso: false, legacy: false },
  ova: { folder: 'archive', file: undefined, iso: false, legacy: false },
  'pxe-tar-xz': { folder: 'bootc-pxe-tree', file: undefined, iso: false, legacy: false },
  'bootc-installer': { folder: 'bootiso', file: 'install.iso', iso: true, legacy: false },
  // Built from RPMs by Anaconda, the older way; one build per run whatever else is asked.
  'anaconda-iso': { folder: 'bootiso', file: 'install.iso', iso: true, legacy: true },
  iso: { folder: 'bootiso', file: 'install.iso', iso: true, legacy: true },
} as const satisfies Record<string, { folder: string; file: string | undefined; iso: boolean; legacy: boolean }>;

export type ImageType = keyof typeof IMAGE_TYPES;

/** The types offered first, in this order (the list; `qcow2` is the builder's default). */
export const COMMON_IMAGE_TYPES: readonly ImageType[] = ['qcow2', 'raw', 'anaconda-iso', 'iso', 'vmdk', 'vhd', 'gce', 'ami'];

export const ROOTFS_TYPES = ['ext4', 'xfs', 'btrfs'] as const;
export type RootFs = (typeof ROOTFS_TYPES)[number];

/** `--target-arch` values the builder accepts (osbuild/images arch.FromString), both spellings. */
export const TARGET_ARCHES = ['x86_64', 'amd64', 'aarch64', 'arm64', 's390x', 'ppc64le', 'riscv64'] as const;

/** The canonical (uname) name of an architecture: `amd64` → `x86_64`, `arm64` → `aarch64`; undefined when unknown. */
export function canonicalArch(arch: string): string | undefined {
  const name = arch.trim().toLowerCase();
  if (name === 'amd64' || name === 'x86_64') return 'x86_64';
  if (name === 'arm64' || name === 'aarch64') return 'aarch64';
  return (TARGET_ARCHES as readonly string[]).includes(name) ? name : undefined;
}

/** The OCI/podman name of an architecture (`podman pull --arch`): `x86_64` → `amd64`, `aarch64` → `arm64`. */
export function ociArch(arch: string): string | undefined {
  const canonical = canonicalArch(arch);
  if (canonical === 'x86_64') return 'amd64';
  if (canonical === 'aarch64') return 'arm64';
  return canonical;
}

/** The architecture of this machine, as uname names it. */
export function hostArch(nodeArch: string = process.arch): string {
  return ({ x64: 'x86_64', arm64: 'aarch64', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' } as Record<string, string>)[nodeArch] ?? nodeArch;
}

/** The builder images of the `bootc.disk.builder` setting; `custom` uses the reference of another setting. */
export const BUILDER_PRESETS = {
  centos: 'quay.io/centos-bootc/bootc-image-builder:latest',
  rhel9: 'registry.redhat.io/rhel9/bootc-image-builder:latest',
  rhel10: 'registry.redhat.io/rhel10/bootc-image-builder:latest',
} as const;

export type BuilderPreset = keyof typeof BUILDER_PRESETS | 'custom';

/** The builder image of a preset; `custom` takes `customReference` (trimmed), falling back to CentOS's when empty. */
export function builderImageFor(preset: BuilderPreset, customReference = ''): string {
  if (preset === 'custom') return customReference.trim() || BUILDER_PRESETS.centos;
  return BUILDER_PRESETS[preset] ?? BUILDER_PRESETS.centos;
}

/** `--progress` kinds: `debug` prints `[done / total] message` lines (a percentage); `verbose` prints osbuild's full output. */
export type ProgressKind = 'debug' | 'verbose' | 'term' | 'auto';

/** Uploading an `ami` to AWS (all three or none: without them the AMI is written to the output folder). */
export interface AwsUpload {
  amiName: string;
  bucket: string;
  region: string;
  /** The folder with AWS credentials, mounted read-only at /root/.aws (usually `~/.aws`). */
  credentialsFolder?: string;
  /** `AWS_PROFILE` to use from the credentials. */
  profile?: string;
}

export interface DiskBuildOptions {
  /** The bootc image to turn into a disk; it must be in root's container storage. */
  image: string;
  /** The builder image (see {@link BUILDER_PRESETS}). */
  builderImage: string;
  /** Image types to build (at least one). */
  types: readonly string[];
  /** The root filesystem; without it the image's default is used (fedora images have none). */
  rootfs?: string;
  /** Build for another architecture (experimental in the builder; needs qemu-user on the host). */
  targetArch?: string;
  /** The host folder mounted at /output (absolute). */
  outputFolder: string;
  /** A config.toml on the host (absolute), mounted read-only at /config.toml. */
  configFile?: string;
  /** Owner of the results (`--chown UID:GID`), normally the user running VS Code. */
  chown?: { uid: number; gid: number };
  aws?: AwsUpload;
  /** Default `debug`, the kind {@link BuilderProgressParser} turns into a percentage. */
  progress?: ProgressKind;
  /** The payload of a `bootc-installer` ISO (`--installer-payload-ref`). */
  installerPayloadRef?: string;
  /** The container's name, so that a cancel can stop it; see {@link builderContainerName}. */
  containerName?: string;
  /** More `podman run` options, put before the builder image. */
  extraPodmanArgs?: readonly string[];
  /** More builder options, put before the image. */
  extraBuilderArgs?: readonly string[];
}

/** Thrown by {@link builderRunArgs} for options {@link validateDiskBuild} refuses; `problems` lists each. */
export class DiskBuildOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join(' '));
    this.name = 'DiskBuildOptionsError';
  }
}

function isImageType(type: string): type is ImageType {
  return Object.prototype.hasOwnProperty.call(IMAGE_TYPES, type);
}

function list(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(', ');
}

/**
 * Everything wrong with the options, each a sentence saying what to change; empty when the
 * builder can run. Nothing is run or read from disk.
 */
export function validateDiskBuild(options: DiskBuildOptions, host: { arch?: string } = {}): string[] {
  const problems: string[] = [];
  const imageProblem = validateImageReference(options.image, { allowDigest: true });
  if (imageProblem) problems.push(imageProblem);
  const builderProblem = validateImageReference(options.builderImage, { allowDigest: true });
  if (builderProblem) problems.push(`The builder image is not valid: ${builderProblem}`);

  const types = [...new Set(options.types)];
  if (types.length === 0) problems.push('Choose at least one image type, e.g. "qcow2".');
  const unknown = types.filter((type) => !isImageType(type));
  if (unknown.length > 0) {
    problems.push(`Unknown image type${unknown.length > 1 ? 's' : ''} ${list(unknown)}: bootc-image-builder builds ${list(Object.keys(IMAGE_TYPES))}.`);
  }
  const known = types.filter(isImageType);
  const isos = known.filter((type) => IMAGE_TYPES[type].iso);
  const disks = known.filter((type) => !IMAGE_TYPES[type].iso);
  if (isos.length > 0 && disks.length > 0) {
    problems.push(`${list(isos)} builds an installer ISO and cannot be combined with disk image types (${list(disks)}) in one run: build them one after the other.`);
  } else if (isos.length > 1) {
    problems.push(`Only one installer ISO type can be built per run (asked for ${list(isos)}): choose one.`);
  }

  if (options.rootfs !== undefined && options.rootfs !== '' && !(ROOTFS_TYPES as readonly string[]).includes(options.rootfs)) {
    problems.push(`The root filesystem "${options.rootfs}" is not supported: choose ${list(ROOTFS_TYPES)}.`);
  }

  if (options.targetArch !== undefined && options.targetArch !== '') {
    const target = canonicalArch(options.targetArch);
    if (!target) {
      problems.push(`The target architecture "${options.targetArch}" is not supported: choose ${list(TARGET_ARCHES)}.`);
    } else if (target !== canonicalArch(host.arch ?? hostArch()) && known.some((type) => IMAGE_TYPES[type].legacy)) {
      problems.push(`"${known.find((type) => IMAGE_TYPES[type].legacy)}" cannot be built for another architecture (${target}) yet: build it on a ${target} machine, or choose a disk image type.`);
    }
  }

  if (known.includes('bootc-installer') && !options.installerPayloadRef) {
    problems.push('A "bootc-installer" ISO needs the image it installs (the installer payload reference).');
  } else if (options.installerPayloadRef) {
    const payloadProblem = validateImageReference(options.installerPayloadRef, { allowDigest: true });
    if (payloadProblem) problems.push(`The installer payload is not valid: ${payloadProblem}`);
  }

  if (options.aws) {
    const { amiName, bucket, region } = options.aws;
    const missing = [['AMI name', amiName], ['S3 bucket', bucket], ['AWS region', region]].filter(([, value]) => !value?.trim()).map(([name]) => name);
    if (!known.includes('ami')) problems.push(`An AWS upload needs the "ami" image type (asked for ${list(types)}).`);
    if (missing.length > 0) problems.push(`An AMI upload needs the AMI name, the S3 bucket and the AWS region together; missing: ${missing.join(', ')}. Leave all three empty to write the AMI to the output folder instead.`);
    if (region?.trim() && !/^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(region.trim())) problems.push(`"${region}" is not an AWS region; it looks like us-east-1.`);
    if (bucket?.trim() && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket.trim())) problems.push(`"${bucket}" is not an S3 bucket name: 3 to 63 lowercase letters, digits, "." and "-".`);
    if (options.aws.credentialsFolder !== undefined && !path.isAbsolute(options.aws.credentialsFolder)) problems.push(`The AWS credentials folder must be an absolute path (got "${options.aws.credentialsFolder}").`);
  }

  if (!path.isAbsolute(options.outputFolder)) problems.push(`The output folder must be an absolute path (got "${options.outputFolder}").`);
  if (options.outputFolder.includes(':')) problems.push(`The output folder "${options.outputFolder}" contains ":", which podman's -v option cannot mount.`);
  if (options.configFile !== undefined) {
    if (!path.isAbsolute(options.configFile)) problems.push(`The config file must be an absolute path (got "${options.configFile}").`);
    if (options.configFile.includes(':')) problems.push(`The config file path "${options.configFile}" contains ":", which podman's -v option cannot mount.`);
  }
  if (options.chown && !(Number.isInteger(options.chown.uid) && options.chown.uid >= 0 && Number.isInteger(options.chown.gid) && options.chown.gid >= 0)) {
    problems.push(`--chown needs a numeric user and group id (got ${options.chown.uid}:${options.chown.gid}).`);
  }
  if (options.containerName !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.containerName)) {
    problems.push(`"${options.containerName}" is not a container name: letters, digits, "_", "." and "-".`);
  }
  return problems;
}

/** A container name for one builder run: `bootc-image-builder-<random>`. */
export function builderContainerName(): string {
  return `bootc-image-builder-${randomBytes(4).toString('hex')}`;
}

/**
 * The `podman run` arguments (without podman's global options) that run the builder, as its
 * README documents: rootful podman, `--privileged`, `--pull=newer`, SELinux unconfined, root's
 * container storage, the output folder at /output and the config at /config.toml. Throws a
 * {@link DiskBuildOptionsError} for options {@link validateDiskBuild} refuses.
 */
export function builderRunArgs(options: DiskBuildOptions, host: { arch?: string } = {}): string[] {
  const problems = validateDiskBuild(options, host);
  if (problems.length > 0) throw new DiskBuildOptionsError(problems);
  const args = ['run', '--rm', '--privileged', '--pull=newer', '--security-opt', 'label=type:unconfined_t'];
  if (options.containerName) args.push('--name', options.containerName);
  args.push('-v', `${ROOT_CONTAINER_STORAGE}:${ROOT_CONTAINER_STORAGE}`, '-v', `${options.outputFolder}:/output`);
  if (options.configFile) args.push('-v', `${options.configFile}:/config.toml:ro`);
  if (options.aws?.credentialsFolder) args.push('-v', `${options.aws.credentialsFolder}:/root/.aws:ro`);
  if (options.aws?.profile) args.push('--env', `AWS_PROFILE=${options.aws.profile}`);
  args.push(...(options.extraPodmanArgs ?? []), options.builderImage);

  for (const type of new Set(options.types)) args.push('--type', type);
  if (options.rootfs) args.push('--rootfs', options.rootfs);
  if (options.targetArch) args.push('--target-arch', options.targetArch);
  args.push('--progress', options.progress ?? 'debug');
  if (options.installerPayloadRef) args.push('--installer-payload-ref', options.installerPayloadRef);
  if (options.aws) args.push('--aws-ami-name', options.aws.amiName.trim(), '--aws-bucket', options.aws.bucket.trim(), '--aws-region', options.aws.region.trim());
  if (options.chown) args.push('--chown', `${options.chown.uid}:${options.chown.gid}`);
  args.push(...(options.extraBuilderArgs ?? []), options.image);
  return args;
}

/** One built artifact: its type and where it is on the host. */
export interface BuildArtifact {
  type: ImageType;
  /** The disk or ISO file, or the folder for types whose file name varies (`ova`, `pxe-tar-xz`). */
  path: string;
  /** True when `path` is a file the VM can boot (`qcow2`, `raw`, and `ami` which is a raw disk). */
  bootable: boolean;
}

/**
 * Where the builder writes each type below the output folder (`qcow2/disk.qcow2`,
 * `image/disk.raw`, `bootiso/install.iso`...): what to open in a VM or reveal afterwards. An
 * `ami` that is uploaded to AWS leaves no file; pass `uploaded` to leave it out.
 */
export function buildArtifacts(outputFolder: string, types: readonly string[], uploaded = false): BuildArtifact[] {
  const artifacts: BuildArtifact[] = [];
  for (const type of new Set(types)) {
    if (!isImageType(type) || (type === 'ami' && uploaded)) continue;
    const { folder, file } = IMAGE_TYPES[type];
    const artifactPath = file ? path.join(outputFolder, folder, file) : path.join(outputFolder, folder);
    artifacts.push({ type, path: artifactPath, bootable: type === 'qcow2' || type === 'raw' || type === 'ami' });
  }
  return artifacts;
}

/** The osbuild manifest the builder saves in the output folder: `manifest-<types joined by ->.json`. */
export function manifestFileName(types: readonly string[]): string {
  return `manifest-${types.join('-')}.json`;
}

/** The builder's full output is saved beside its results under this name. */
export const BUILD_LOG_NAME = 'bootc-image-builder.log';
