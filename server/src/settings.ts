/**
 * The `bootc.*` editor settings: their shape, defaults and sanitising. Shared by the language
 * client and server, so it imports nothing from `vscode` and only types from the lint core.
 */
import type { LintConfig, LintMode, SeverityOverride } from './lint/types';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface BootcSettings {
  lint: {
    /** `bootc.lint.enable`: report bootc diagnostics at all. */
    enable: boolean;
    /** `bootc.lint.mode`: `auto` detects bootc builds; `always` / `never` force it. */
    mode: LintMode;
    /** `bootc.lint.rules`: severity per rule id. */
    rules: Record<string, SeverityOverride>;
    /** `bootc.lint.bootcImages`: glob patterns of base images to treat as bootc. */
    bootcImages: string[];
  };
  trace: { server: TraceLevel };
  podman: {
    /** `bootc.podman.path`: the podman executable (a name on PATH or an absolute path). */
    path: string;
    /** `bootc.podman.extraArgs`: global podman options put before every subcommand (`--connection`, `--root`...). */
    extraArgs: string[];
    /** `bootc.podman.containersConf`: a containers.conf passed to podman as `CONTAINERS_CONF`; empty for podman's own. */
    containersConf: string;
  };
  build: {
    /** `bootc.build.contextFolder`: the build context; empty means the Containerfile's folder. */
    contextFolder: string;
    /** `bootc.build.args`: `--build-arg` values offered for every build. */
    args: Record<string, string>;
    /** `bootc.build.secrets`: `--secret` specs (`id=name,src=path`) passed to every build. */
    secrets: string[];
    /** `bootc.build.extraArgs`: extra `podman build` options. */
    extraArgs: string[];
    /** `bootc.build.lintAfterBuild`: run `bootc container lint` in the image after a successful build. */
    lintAfterBuild: boolean;
  };
  run: {
    /** `bootc.run.mode`: what Run Image as Container does, or `ask` each time. */
    mode: RunMode;
    /** `bootc.run.shell`: the shell of an interactive run. */
    shell: string;
    /** `bootc.run.extraArgs`: extra `podman run` options (`-v`, `-p`, `--network`...). */
    extraArgs: string[];
  };
  farm: {
    /** `bootc.farm.defaultFarm`: the farm Build for Multiple Architectures uses; empty: ask (podman's default farm first). */
    defaultFarm: string;
    /** `bootc.farm.cleanup`: remove the built images from the nodes after the push (`--cleanup`). */
    cleanup: boolean;
    /** `bootc.farm.local`: let this machine build too (`--local`, podman's default); podman then builds its platform here rather than on a node. */
    local: boolean;
    /** `bootc.farm.platforms`: the platforms chosen by default (`linux/amd64`...); empty: all the farm provides. */
    platforms: string[];
  };
  disk: {
    /** `bootc.disk.outputFolder`: where Create Disk Image writes; relative to the Containerfile's folder (default `output`). */
    outputFolder: string;
    /** `bootc.disk.builder`: the bootc-image-builder image, by preset, or `custom` for {@link customBuilderImage}. */
    builder: DiskBuilder;
    /** `bootc.disk.customBuilderImage`: the builder image when `builder` is `custom`. */
    customBuilderImage: string;
  };
  vm: {
    /** `bootc.vm.backend`: boot disks with plain qemu, or through libvirt (`virt-install --import`). */
    backend: VmBackend;
    /** `bootc.vm.memory`: guest memory in MiB. */
    memory: number;
    /** `bootc.vm.cpus`: virtual CPUs. */
    cpus: number;
    /** `bootc.vm.shutdownTimeout`: seconds Stop VM waits for the guest to power off before it kills it. */
    shutdownTimeout: number;
  };
}

export type DiskBuilder = 'centos' | 'rhel9' | 'rhel10' | 'custom';
export type VmBackend = 'qemu' | 'libvirt';

export type RunMode = 'ask' | 'shell' | 'systemd';

/** The configuration section the client synchronises and the server asks for. */
export const SETTINGS_SECTION = 'bootc';

export const LINT_MODES: readonly LintMode[] = ['auto', 'always', 'never'];
export const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'hint', 'off'];
export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];
export const RUN_MODES: readonly RunMode[] = ['ask', 'shell', 'systemd'];
export const DISK_BUILDERS: readonly DiskBuilder[] = ['centos', 'rhel9', 'rhel10', 'custom'];
export const VM_BACKENDS: readonly VmBackend[] = ['qemu', 'libvirt'];

export const DEFAULT_SETTINGS: Readonly<BootcSettings> = Object.freeze<BootcSettings>({
  lint: { enable: true, mode: 'auto', rules: {}, bootcImages: [] },
  trace: { server: 'off' },
  podman: { path: 'podman', extraArgs: [], containersConf: '' },
  build: { contextFolder: '', args: {}, secrets: [], extraArgs: [], lintAfterBuild: true },
  run: { mode: 'ask', shell: '/bin/bash', extraArgs: [] },
  farm: { defaultFarm: '', cleanup: false, local: true, platforms: [] },
  disk: { outputFolder: 'output', builder: 'centos', customBuilderImage: '' },
  vm: { backend: 'qemu', memory: 2048, cpus: 2, shutdownTimeout: 30 },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/**
 * Turns whatever the editor sent for the `bootc` section into valid settings. Invalid values
 * fall back to their defaults (or, inside `rules` and `bootcImages`, are dropped); each one
 * is described in `problems` so the server can log it.
 */
export function sanitizeSettings(raw: unknown): { settings: BootcSettings; problems: string[] } {
  const problems: string[] = [];
  const root = isRecord(raw) ? raw : {};
  const lint = isRecord(root.lint) ? root.lint : {};
  const trace = isRecord(root.trace) ? root.trace : {};
  const podman = isRecord(root.podman) ? root.podman : {};
  const build = isRecord(root.build) ? root.build : {};
  const run = isRecord(root.run) ? root.run : {};
  const farm = isRecord(root.farm) ? root.farm : {};
  const disk = isRecord(root.disk) ? root.disk : {};
  const vm = isRecord(root.vm) ? root.vm : {};
  const settings: BootcSettings = {
    lint: { ...DEFAULT_SETTINGS.lint, rules: {}, bootcImages: [] },
    trace: { ...DEFAULT_SETTINGS.trace },
    podman: { ...DEFAULT_SETTINGS.podman, extraArgs: [] },
    build: { ...DEFAULT_SETTINGS.build, args: {}, secrets: [], extraArgs: [] },
    run: { ...DEFAULT_SETTINGS.run, extraArgs: [] },
    farm: { ...DEFAULT_SETTINGS.farm, platforms: [] },
    disk: { ...DEFAULT_SETTINGS.disk },
    vm: { ...DEFAULT_SETTINGS.vm },
  };
  /** Reads a string setting; `allowEmpty` for settings where empty means "the default behaviour". */
  const text = (value: unknown, name: string, fallback: string, allowEmpty: boolean): string => {
    if (typeof value === 'string' && (allowEmpty || value.trim() !== '')) return value.trim();
    if (value !== undefined && value !== null) problems.push(`bootc.${name} must be a${allowEmpty ? '' : ' non-empty'} string`);
    return fallback;
  };
  const integer = (value: unknown, name: string, fallback: number, min: number, max: number): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    if (value !== undefined && value !== null) problems.push(`bootc.${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  };
  const strings = (value: unknown, name: string): string[] => {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...value];
    problems.push(`bootc.${name} must be an array of strings`);
    return [];
  };

  if (typeof lint.enable === 'boolean') settings.lint.enable = lint.enable;
  else if (lint.enable !== undefined) problems.push('bootc.lint.enable must be true or false');

  if (oneOf(lint.mode, LINT_MODES)) settings.lint.mode = lint.mode;
  else if (lint.mode !== undefined) problems.push(`bootc.lint.mode must be one of ${LINT_MODES.join(', ')}`);

  if (isRecord(lint.rules)) {
    for (const [id, severity] of Object.entries(lint.rules)) {
      if (oneOf(severity, SEVERITY_OVERRIDES)) settings.lint.rules[id] = severity;
      else problems.push(`bootc.lint.rules.${id} must be one of ${SEVERITY_OVERRIDES.join(', ')}`);
    }
  } else if (lint.rules !== undefined && lint.rules !== null) {
    problems.push('bootc.lint.rules must be an object of rule id → severity');
  }

  if (Array.isArray(lint.bootcImages)) {
    for (const pattern of lint.bootcImages) {
      if (typeof pattern === 'string' && pattern.trim() !== '') settings.lint.bootcImages.push(pattern.trim());
      else problems.push('bootc.lint.bootcImages must hold non-empty strings');
    }
  } else if (lint.bootcImages !== undefined && lint.bootcImages !== null) {
    problems.push('bootc.lint.bootcImages must be an array of image patterns');
  }

  if (oneOf(trace.server, TRACE_LEVELS)) settings.trace.server = trace.server;
  else if (trace.server !== undefined) problems.push(`bootc.trace.server must be one of ${TRACE_LEVELS.join(', ')}`);

  settings.podman.path = text(podman.path, 'podman.path', DEFAULT_SETTINGS.podman.path, false);
  settings.podman.extraArgs = strings(podman.extraArgs, 'podman.extraArgs');
  settings.podman.containersConf = text(podman.containersConf, 'podman.containersConf', '', true);

  settings.build.contextFolder = text(build.contextFolder, 'build.contextFolder', '', true);
  if (isRecord(build.args)) {
    for (const [name, value] of Object.entries(build.args)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') settings.build.args[name] = String(value);
      else problems.push(`bootc.build.args.${name} must be a string`);
    }
  } else if (build.args !== undefined && build.args !== null) {
    problems.push('bootc.build.args must be an object of build argument name → value');
  }
  settings.build.secrets = strings(build.secrets, 'build.secrets');
  settings.build.extraArgs = strings(build.extraArgs, 'build.extraArgs');
  if (typeof build.lintAfterBuild === 'boolean') settings.build.lintAfterBuild = build.lintAfterBuild;
  else if (build.lintAfterBuild !== undefined) problems.push('bootc.build.lintAfterBuild must be true or false');

  if (oneOf(run.mode, RUN_MODES)) settings.run.mode = run.mode;
  else if (run.mode !== undefined) problems.push(`bootc.run.mode must be one of ${RUN_MODES.join(', ')}`);
  settings.run.shell = text(run.shell, 'run.shell', DEFAULT_SETTINGS.run.shell, false);
  settings.run.extraArgs = strings(run.extraArgs, 'run.extraArgs');

  settings.farm.defaultFarm = text(farm.defaultFarm, 'farm.defaultFarm', '', true);
  for (const flag of ['cleanup', 'local'] as const) {
    if (typeof farm[flag] === 'boolean') settings.farm[flag] = farm[flag];
    else if (farm[flag] !== undefined && farm[flag] !== null) problems.push(`bootc.farm.${flag} must be true or false`);
  }
  for (const platform of strings(farm.platforms, 'farm.platforms')) {
    if (/^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/i.test(platform.trim())) settings.farm.platforms.push(platform.trim().toLowerCase());
    else problems.push(`bootc.farm.platforms: "${platform}" is not OS/ARCHITECTURE[/VARIANT], e.g. linux/arm64`);
  }
  settings.disk.outputFolder = text(disk.outputFolder, 'disk.outputFolder', DEFAULT_SETTINGS.disk.outputFolder, false);
  if (oneOf(disk.builder, DISK_BUILDERS)) settings.disk.builder = disk.builder;
  else if (disk.builder !== undefined) problems.push(`bootc.disk.builder must be one of ${DISK_BUILDERS.join(', ')}`);
  settings.disk.customBuilderImage = text(disk.customBuilderImage, 'disk.customBuilderImage', '', true);

  if (oneOf(vm.backend, VM_BACKENDS)) settings.vm.backend = vm.backend;
  else if (vm.backend !== undefined) problems.push(`bootc.vm.backend must be one of ${VM_BACKENDS.join(', ')}`);
  settings.vm.memory = integer(vm.memory, 'vm.memory', DEFAULT_SETTINGS.vm.memory, 256, 1024 * 1024);
  settings.vm.cpus = integer(vm.cpus, 'vm.cpus', DEFAULT_SETTINGS.vm.cpus, 1, 256);
  settings.vm.shutdownTimeout = integer(vm.shutdownTimeout, 'vm.shutdownTimeout', DEFAULT_SETTINGS.vm.shutdownTimeout, 0, 3600);

  return { settings, problems };
}

/**
 * The part of the lint configuration the editor settings contribute, to be laid over the
 * project's `.bootc-lint.json`. Values equal to the defaults (`auto`, no rules, no images)
 * say nothing, so they leave the project's choices in place.
 */
export function lintConfigOf(settings: BootcSettings): LintConfig {
  const config: LintConfig = {};
  if (settings.lint.mode !== 'auto') config.mode = settings.lint.mode;
  if (Object.keys(settings.lint.rules).length > 0) config.rules = { ...settings.lint.rules };
  if (settings.lint.bootcImages.length > 0) config.bootcImages = [...settings.lint.bootcImages];
  return config;
}
