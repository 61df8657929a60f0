import type { Containerfile, Instruction, Mount } from '../model/containerfile';
import type { ShellCommand, ShellScript, Word } from '../shell/script';
import type { Position, Range, TextEdit } from '../types';
import { expandBraces, parseArgs, runsBootcContainerLint, type ParsedArgs } from './commands';
import { appendToRun, insert } from '../fixes';
import { commandEffects, isUnder, removalCovers } from './filesystem';
import { rangeStrictlyContains } from '../text';


/**
 * Package-manager commands as the `packages` rules see them: which manager, which
 * (normalised) action, which packages, and what a RUN does to clean the caches.
 */

export type PackageFamily = 'rpm' | 'apt' | 'pacman' | 'zypper';

/** The dnf family: dnf4 (`dnf`, `dnf-3`, `dnf4`), dnf5, yum and microdnf. */
export const RPM_MANAGERS = new Set(['dnf', 'dnf5', 'dnf4', 'dnf-3', 'yum', 'microdnf']);

/** Where the dnf family keeps repository metadata and downloaded packages. */
export const RPM_CACHE_DIRS = ['/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/yum'];

export type RpmAction =
  | 'install'
  | 'reinstall'
  | 'upgrade'
  | 'downgrade'
  | 'distro-sync'
  | 'group-install'
  | 'group-upgrade'
  | 'group-remove'
  | 'module-install'
  /** `module enable/disable/reset/remove/update/switch-to`: they prompt too. */
  | 'module-change'
  | 'builddep'
  | 'swap'
  | 'remove'
  | 'autoremove'
  | 'clean'
  | 'other';

export interface RpmCommand {
  command: ShellCommand;
  /** `dnf`, `dnf5`, `yum`, `microdnf` (basename of the command word). */
  manager: string;
  action: RpmAction;
  /** The subcommand word(s): `[install]`, `[group, install]`; empty when missing or dynamic. */
  subcommand: Word[];
  parsed: ParsedArgs;
  /** Operands after the subcommand: package specs, files, groups. */
  packages: Word[];
  /** Unknown words (`$DNF_OPTS`) before the subcommand: options we cannot see. */
  unknownOptions: boolean;
  /** `-y`, `--assumeyes`, `--setopt=assumeyes=True`. */
  assumeYes: boolean;
  /** Values of `-x`/`--exclude`/`--excludepkgs`/`--setopt=exclude=`, split at commas. */
  excludes: string[];
  installroot?: string;
  /** `--setopt=cachedir=...`, when given. */
  cacheDir?: string;
  /** `--downloadonly`: nothing is installed. */
  downloadOnly: boolean;
}

/** dnf/yum/microdnf options (global and per command) that take a separate value. */
const RPM_OPTIONS_WITH_VALUE = [
  '-c', '--config', '--installroot', '--releasever', '--enablerepo', '--disablerepo', '--repo', '--repoid',
  '--setopt', '--setvar', '-x', '--exclude', '--excludepkgs', '--disableexcludes', '--disableexcludepkgs',
  '--disableplugin', '--enableplugin', '-d', '--debuglevel', '-e', '--errorlevel', '--rpmverbosity', '--color',
  '--destdir', '--downloaddir', '--forcearch', '--repofrompath', '--repo-from-path', '--comment', '--advisory',
  '--advisories', '--bz', '--bzs', '--cve', '--cves', '--sec-severity', '--secseverity', '-R', '--randomwait',
  '--from-repo', '--platform-id', '--arch', '--installonly-limit',
];

const RPM_SUBCOMMANDS: Record<string, RpmAction> = {
  install: 'install', in: 'install', localinstall: 'install', 'install-n': 'install', 'install-na': 'install', 'install-nevra': 'install',
  reinstall: 'reinstall', rei: 'reinstall',
  update: 'upgrade', upgrade: 'upgrade', up: 'upgrade', 'update-minimal': 'upgrade', 'upgrade-minimal': 'upgrade', 'up-min': 'upgrade',
  localupdate: 'upgrade', 'update-to': 'upgrade', 'upgrade-to': 'upgrade',
  downgrade: 'downgrade', dg: 'downgrade', 'downgrade-to': 'downgrade',
  'distro-sync': 'distro-sync', dsync: 'distro-sync', distrosync: 'distro-sync', 'distribution-synchronization': 'distro-sync',
  groupinstall: 'group-install', groupupdate: 'group-upgrade', groupupgrade: 'group-upgrade', groupremove: 'group-remove', grouperase: 'group-remove',
  builddep: 'builddep', 'build-dep': 'builddep',
  swap: 'swap',
  remove: 'remove', erase: 'remove', rm: 'remove', 'remove-n': 'remove', 'remove-na': 'remove', 'remove-nevra': 'remove',
  autoremove: 'autoremove',
  clean: 'clean',
};

const GROUP_ACTIONS: Record<string, RpmAction> = { install: 'group-install', update: 'group-upgrade', upgrade: 'group-upgrade', remove: 'group-remove', erase: 'group-remove' };
const MODULE_CHANGES = new Set(['enable', 'disable', 'reset', 'remove', 'update', 'upgrade', 'switch-to', 'switch']);

const TRUE_VALUES = /^(1|true|yes|on)$/i;

/**
 * Recognises a dnf/dnf5/yum/microdnf command line, or returns undefined. Computed once per
 * command object (several rules ask; the editor reuses unchanged scripts): do not modify the result.
 */
export function parseRpmCommand(command: ShellCommand): RpmCommand | undefined {
  if (!RPM_MANAGERS.has(command.name)) return undefined;
  let rpm = rpmCache.get(command);
  if (rpm === undefined) rpmCache.set(command, (rpm = computeRpmCommand(command)));
  return rpm;
}

const rpmCache = new WeakMap<ShellCommand, RpmCommand>();

function computeRpmCommand(command: ShellCommand): RpmCommand {
  const parsed = parseArgs(command.args, RPM_OPTIONS_WITH_VALUE);
  // Leading unknown words (`dnf $DNF_OPTS install x`) are options we cannot see.
  const leading = parsed.operands.findIndex((w) => !w.dynamic);
  const unknownOptions = leading > 0 || (leading < 0 && parsed.operands.length > 0);
  const operands = leading > 0 ? parsed.operands.slice(leading) : parsed.operands;
  const first = leading >= 0 ? operands[0] : undefined;
  let action: RpmAction = 'other';
  let subcommand: Word[] = [];
  if (first && !first.dynamic) {
    const name = first.text;
    if (name === 'group' || name === 'groups' || name === 'grp') {
      const second = operands[1];
      action = (second && !second.dynamic && GROUP_ACTIONS[second.text]) || 'other';
      subcommand = second ? [first, second] : [first];
    } else if (name === 'module') {
      const second = operands[1];
      const verb = second && !second.dynamic ? second.text : '';
      action = verb === 'install' ? 'module-install' : MODULE_CHANGES.has(verb) ? 'module-change' : 'other';
      subcommand = second ? [first, second] : [first];
    } else {
      action = RPM_SUBCOMMANDS[name] ?? 'other';
      subcommand = [first];
    }
  }
  const setopts = (parsed.values.get('--setopt') ?? []).map((w) => w.text);
  const excludes = [
    ...(parsed.values.get('-x') ?? []),
    ...(parsed.values.get('--exclude') ?? []),
    ...(parsed.values.get('--excludepkgs') ?? []),
  ].map((w) => w.text);
  excludes.push(...setopt(setopts, 'exclude'), ...setopt(setopts, 'excludepkgs'));
  return {
    command,
    manager: command.name,
    action,
    unknownOptions,
    subcommand,
    parsed,
    packages: operands.slice(subcommand.length),
    assumeYes: parsed.options.has('-y') || parsed.options.has('--assumeyes') || parsed.options.has('--assume-yes') || setopt(setopts, 'assumeyes').some((v) => TRUE_VALUES.test(v.trim())),
    excludes: excludes.length === 0 ? [] : excludes.flatMap((e) => e.split(/[\s,]+/)).filter(Boolean),
    installroot: parsed.values.get('--installroot')?.[0]?.text,
    cacheDir: [...setopt(setopts, 'cachedir'), ...setopt(setopts, 'system_cachedir')][0],
    downloadOnly: parsed.options.has('--downloadonly') || parsed.options.has('--download-only'),
  };
}

/** The values of `--setopt=key=value` options for one key. */
function setopt(setopts: readonly string[], key: string): string[] {
  if (setopts.length === 0) return [];
  return setopts.filter((s) => s.split('=', 1)[0].trim() === key).map((s) => s.slice(s.indexOf('=') + 1));
}

/** Actions that download metadata and packages into the cache. */
const RPM_CACHE_FILLING = new Set<RpmAction>(['install', 'reinstall', 'upgrade', 'downgrade', 'distro-sync', 'group-install', 'group-upgrade', 'module-install', 'builddep', 'swap']);

/** Actions that ask "Is this ok [y/N]" unless `-y` is given. */
export const RPM_PROMPTING = new Set<RpmAction>(['install', 'reinstall', 'upgrade', 'downgrade', 'distro-sync', 'group-install', 'group-upgrade', 'group-remove', 'module-install', 'module-change', 'builddep', 'swap', 'remove', 'autoremove']);

/** `dnf clean all` (or `clean metadata ...`, which removes the bulk: `dnf clean packages` alone leaves the metadata). */
function rpmCleansCache(rpm: RpmCommand): boolean {
  if (rpm.action !== 'clean') return false;
  return rpm.packages.some((w) => w.dynamic || w.text === 'all' || w.text === 'metadata');
}

// ---------------------------------------------------------------------------
// Other package managers (pkg-missing-clean)

export interface OtherPackageCommand {
  command: ShellCommand;
  family: Exclude<PackageFamily, 'rpm'>;
  manager: string;
  /** `install`: fills the caches; `clean`: empties them. */
  action: 'install' | 'clean' | 'other';
  /** `apt-get update`: downloads the package lists. */
  updates?: boolean;
}

const APT_OPTIONS_WITH_VALUE = ['-o', '--option', '-c', '--config-file', '-t', '--target-release', '--default-release', '-a', '--host-architecture'];
const APT_INSTALLING = new Set(['install', 'reinstall', 'upgrade', 'dist-upgrade', 'full-upgrade', 'build-dep']);
const PACMAN_OPTIONS_WITH_VALUE = ['-b', '--dbpath', '-r', '--root', '--cachedir', '--config', '--arch', '--gpgdir', '--hookdir', '--logfile', '--ignore', '--ignoregroup', '--assume-installed', '--overwrite', '--print-format'];
const ZYPPER_OPTIONS_WITH_VALUE = ['-R', '--root', '-c', '--config', '-D', '--reposd-dir', '-C', '--cache-dir', '--raw-cache-dir', '--solv-cache-dir', '--pkg-cache-dir', '--releasever', '--userdata', '-r', '--repo', '--from', '-t', '--type'];
const ZYPPER_INSTALLING = new Set(['install', 'in', 'update', 'up', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si', 'install-new-recommends', 'inr']);

const OTHER_MANAGERS = new Set(['apt-get', 'apt', 'pacman', 'paccache', 'zypper']);

/** apt-get/apt, pacman/paccache or zypper, or undefined. Computed once per command object: do not modify the result. */
export function parseOtherPackageCommand(command: ShellCommand): OtherPackageCommand | undefined {
  if (!OTHER_MANAGERS.has(command.name)) return undefined;
  let other = otherCache.get(command);
  if (other === undefined) otherCache.set(command, (other = computeOtherPackageCommand(command)!));
  return other;
}

const otherCache = new WeakMap<ShellCommand, OtherPackageCommand>();

function computeOtherPackageCommand(command: ShellCommand): OtherPackageCommand | undefined {
  const name = command.name;
  if (name === 'apt-get' || name === 'apt') {
    const verb = parseArgs(command.args, APT_OPTIONS_WITH_VALUE).operands[0];
    const text = verb && !verb.dynamic ? verb.text : '';
    return { command, family: 'apt', manager: name, action: APT_INSTALLING.has(text) ? 'install' : text === 'clean' || text === 'autoclean' ? 'clean' : 'other', updates: text === 'update' };
  }
  if (name === 'pacman') {
    const parsed = parseArgs(command.args, PACMAN_OPTIONS_WITH_VALUE);
    const sync = parsed.options.has('-S') || parsed.options.has('--sync');
    if (!sync) return { command, family: 'pacman', manager: name, action: 'other' };
    if (parsed.options.has('-c') || parsed.options.has('--clean')) return { command, family: 'pacman', manager: name, action: 'clean' };
    const query = ['-s', '-i', '-l', '-g', '-p', '--search', '--info', '--list', '--groups', '--print'].some((o) => parsed.options.has(o));
    const upgrade = parsed.options.has('-u') || parsed.options.has('--sysupgrade');
    const installs = !query && (upgrade || parsed.operands.length > 0);
    return { command, family: 'pacman', manager: name, action: installs ? 'install' : 'other' };
  }
  if (name === 'paccache') {
    const parsed = parseArgs(command.args, ['-k', '--keep', '-c', '--cachedir', '-i', '--ignore']);
    return { command, family: 'pacman', manager: name, action: parsed.options.has('-r') || parsed.options.has('--remove') ? 'clean' : 'other' };
  }
  if (name === 'zypper') {
    const verb = parseArgs(command.args, ZYPPER_OPTIONS_WITH_VALUE).operands[0];
    const text = verb && !verb.dynamic ? verb.text : '';
    return { command, family: 'zypper', manager: name, action: ZYPPER_INSTALLING.has(text) ? 'install' : text === 'clean' || text === 'cc' ? 'clean' : 'other' };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Cache cleanup analysis

export interface MissingCleanup {
  family: PackageFamily;
  /** The first cache-filling command with no cleanup after it. */
  command: ShellCommand;
  /** `dnf`, `yum`, `apt-get`, ... */
  manager: string;
  /** Commands that clean up what is missing, to append to the RUN. */
  cleanup: string[];
}

/** Probe paths: a removal covering one covers the cache contents. */
const PROBE = 'bootc-lint-probe';
const APT_LISTS = `/var/lib/apt/lists/${PROBE}`;
const APT_CACHE = `/var/cache/apt/${PROBE}`;
const PACMAN_CACHE = `/var/cache/pacman/pkg/${PROBE}`;
/** Where images that move pacman's state out of /var (`bootc usroverlay` friendly) keep the cache. */
const PACMAN_SYSIMAGE_CACHE = `/usr/lib/sysimage/cache/pacman/pkg/${PROBE}`;
const ZYPPER_CACHE = `/var/cache/zypp/${PROBE}`;

interface CommandCleanup {
  command: ShellCommand;
  index: number;
  rpm?: RpmCommand;
  other?: OtherPackageCommand;
}

/**
 * What one RUN leaves in package caches: for each package-manager family, the first
 * cache-filling command that nothing later in the same RUN cleans (and no cache/tmpfs mount
 * covers). At most one entry per family.
 * @param ignore a command to treat as absent (to see what removing it would change)
 */
export function missingCleanups(instruction: Instruction, ignore?: ShellCommand): MissingCleanup[] {
  if (ignore) return computeMissingCleanups(instruction, ignore);
  let result = cleanupCache.get(instruction);
  if (!result) {
    const run = instruction.run;
    if (run) {
      // The answer depends only on the script and the mount targets: the editor reuses unchanged scripts.
      const key = mountKey(run.mounts);
      const cached = scriptCleanupCache.get(run.script);
      if (cached && cached.key === key) result = cached.result;
      else scriptCleanupCache.set(run.script, { key, result: (result = computeMissingCleanups(instruction)) });
    } else result = computeMissingCleanups(instruction);
    cleanupCache.set(instruction, result);
  }
  return result;
}

/** Two rules ask about every RUN of one lint; the model is rebuilt for each lint, so entries die with it. */
const cleanupCache = new WeakMap<Instruction, MissingCleanup[]>();
const scriptCleanupCache = new WeakMap<ShellScript, { key: string; result: MissingCleanup[] }>();

/** The mount targets `computeMissingCleanups` looks at. */
function mountKey(mounts: readonly Mount[]): string {
  let key = '';
  for (const m of mounts) if (m.type !== 'secret' && m.target !== undefined) key += `${m.target}\u0000`;
  return key;
}

/** The removal patterns of a command (`rm -rf /var/cache/dnf`), once per command object. */
function removalPatterns(command: ShellCommand): string[] {
  let patterns = removalCache.get(command);
  if (!patterns) {
    patterns = [];
    for (const effect of commandEffects(command)) if ('pattern' in effect) patterns.push(effect.pattern);
    removalCache.set(command, patterns);
  }
  return patterns;
}

const removalCache = new WeakMap<ShellCommand, string[]>();

function computeMissingCleanups(instruction: Instruction, ignore?: ShellCommand): MissingCleanup[] {
  const run = instruction.run;
  if (!run) return [];
  const steps: CommandCleanup[] = [];
  let managers = false;
  for (const command of run.script.commands) {
    if (command === ignore) continue;
    const step: CommandCleanup = { command, index: command.index, rpm: parseRpmCommand(command), other: parseOtherPackageCommand(command) };
    managers ||= step.rpm !== undefined || step.other !== undefined;
    steps.push(step);
  }
  if (!managers) return [];
  const mounted = (path: string) => run.mounts.some((m) => m.type !== 'secret' && m.target !== undefined && isUnder(path, m.target));
  // The removals of a command are only worked out when a cache-filling command comes before it.
  const removedAfter = (index: number, path: string) => steps.some((s) => s.index > index && removalPatterns(s.command).some((p) => removalCovers(p, path)));
  const after = (index: number, test: (step: CommandCleanup) => boolean) => steps.some((s) => s.index > index && test(s));

  const result: MissingCleanup[] = [];
  const seen = new Set<PackageFamily>();
  for (const step of steps) {
    const command = step.command;
    if (command.inSubstitution) continue;
    const rpm = step.rpm;
    if (rpm && !seen.has('rpm') && RPM_CACHE_FILLING.has(rpm.action) && rpm.installroot === undefined) {
      const dirs = rpm.cacheDir ? [rpm.cacheDir] : RPM_CACHE_DIRS;
      // `dnf clean all` first: it is cheaper to find than the removals (`rm -rf /var/cache/dnf`).
      const cleaned =
        after(step.index, (s) => s.rpm !== undefined && s.rpm.installroot === undefined && rpmCleansCache(s.rpm)) ||
        dirs.some((dir) => mounted(dir) || removedAfter(step.index, `${dir}/${PROBE}`));
      if (!cleaned) {
        seen.add('rpm');
        result.push({ family: 'rpm', command, manager: rpm.manager, cleanup: [`${rpm.manager} clean all`] });
      }
    }
    const other = step.other;
    if (!other || other.action !== 'install' || seen.has(other.family)) continue;
    const cleaned = (probe: string) => mounted(probe.slice(0, -PROBE.length - 1)) || removedAfter(step.index, probe);
    const cleanedBy = (s: CommandCleanup) => s.other?.family === other.family && s.other.action === 'clean';
    let cleanup: string[] = [];
    if (other.family === 'apt') {
      // The lists downloaded by `apt-get update` are the bulk. Without an update in this RUN they
      // come from an earlier layer, and the .deb files are dropped by the docker-clean hook of
      // Debian/Ubuntu base images: nothing to clean here. `apt-get clean` is offered, not required.
      const updated = steps.some((s) => s.index < step.index && s.other?.family === 'apt' && s.other.updates);
      const lists = cleaned(APT_LISTS) || mounted('/var/cache/apt');
      const archives = cleaned(APT_CACHE) || after(step.index, cleanedBy);
      if (updated && !lists) cleanup = archives ? ['rm -rf /var/lib/apt/lists/*'] : ['apt-get clean', 'rm -rf /var/lib/apt/lists/*'];
    } else if (other.family === 'pacman') {
      if (!cleaned(PACMAN_CACHE) && !cleaned(PACMAN_SYSIMAGE_CACHE) && !after(step.index, cleanedBy)) cleanup = ['pacman -Scc --noconfirm'];
    } else if (!cleaned(ZYPPER_CACHE) && !after(step.index, cleanedBy)) {
      cleanup = ['zypper clean --all'];
    }
    if (cleanup.length > 0) {
      seen.add(other.family);
      result.push({ family: other.family, command, manager: other.manager, cleanup });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// Kernels

/** Parts of a kernel subpackage name that mean "not a kernel of its own" (`kernel-devel`, `kernel-rt-modules-extra`). */
const KERNEL_SUBPACKAGE_PARTS = new Set(['devel', 'headers', 'tools', 'modules', 'extra', 'internal', 'doc', 'debuginfo', 'libs', 'selftests', 'cross', 'abi', 'stablelists', 'srpm', 'macros', 'uki', 'virt', 'kvm', 'matched', 'bpftool', 'perf', 'common', 'firmware', 'source', 'zfcpdump-modules']);
/** Kernel flavours that are whole kernels (`kernel-<flavour>`), beside `kernel-*-core`. */
const KERNEL_FLAVOURS = new Set(['rt', '64k', '16k', 'debug', 'longterm', 'lt', 'ml', 'cachyos', 'surface', 'fsync', 'zen', 'lts']);

/** The package name of a spec: `kernel-core-6.8.9-300.fc40.x86_64`, `/tmp/kernel-rt-core-5.14.rpm`, `kernel-0:6.8` → `kernel-core`, `kernel-rt-core`, `kernel`. */
export function packageName(spec: string): string {
  let name = spec.slice(spec.lastIndexOf('/') + 1).replace(/\.rpm$/, '');
  const parts = name.split('-');
  const version = parts.findIndex((p, i) => i > 0 && /^\d/.test(p) && (/^[\d:]+$/.test(p) || /[.:~^]/.test(p)));
  if (version > 0) name = parts.slice(0, version).join('-');
  return name.replace(/\.(x86_64|aarch64|s390x|ppc64le|riscv64|noarch|i686)$/, '');
}

function isKernelName(name: string): boolean {
  const parts = name.split('-');
  if (parts[0] !== 'kernel') return false;
  if (parts.length === 1) return true;
  if (parts.slice(1).some((p) => KERNEL_SUBPACKAGE_PARTS.has(p))) return false;
  if (parts.length === 2) return parts[1] === 'core' || KERNEL_FLAVOURS.has(parts[1]) || parts[1].startsWith('rt');
  return parts[parts.length - 1] === 'core' || parts[1] === 'rt' || parts[1].startsWith('cachyos');
}

const KERNEL_EXAMPLES = ['kernel', 'kernel-core', 'kernel-rt', 'kernel-rt-core', 'kernel-64k-core', 'kernel-6.0.0'];

/** True when the spec installs a kernel of its own (not `-devel`, `-headers`, `-tools`, `-modules-extra`). */
export function isKernelPackage(spec: string): boolean {
  return expandBraces(spec).some((one) => {
    const name = packageName(one);
    if (/[*?[]/.test(name)) {
      // `*.rpm` may hold anything: only a glob that names a kernel counts (`kernel-rt*`, `kernel-[0-9]*`).
      if (!name.startsWith('kernel')) return false;
      const re = new RegExp(`^${name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      return KERNEL_EXAMPLES.some((k) => re.test(k));
    }
    return isKernelName(name);
  });
}

/** True when removing `spec` removes (part of) a kernel: anything `kernel*` but the development packages. */
export function removesKernel(word: Word): boolean {
  // `rpm -e $(rpm -qa 'kernel*')`, `for p in kernel kernel-core; do rpm -e $p; done`: cannot tell, assume it may.
  if (word.dynamic) return true;
  return expandBraces(word.text).some((one) => {
    const name = packageName(one);
    return name.startsWith('kernel') && !/-(devel|headers|tools|tools-libs|doc|srpm-macros)(-|$)/.test(name);
  });
}

/** Kernel package operands of a command that installs them (`dnf install`, `dnf swap`, `rpm-ostree install`). */
export function installedKernels(command: ShellCommand): Word[] {
  if (!RPM_MANAGERS.has(command.name) && command.name !== 'rpm-ostree') return [];
  let kernels = installedCache.get(command);
  if (!kernels) installedCache.set(command, (kernels = computeInstalledKernels(command)));
  return kernels;
}

const installedCache = new WeakMap<ShellCommand, Word[]>();

function computeInstalledKernels(command: ShellCommand): Word[] {
  const rpm = parseRpmCommand(command);
  if (rpm) {
    if (rpm.installroot !== undefined || rpm.downloadOnly) return [];
    if (rpm.action === 'swap') return rpm.packages.slice(1, 2).filter((w) => isKernelPackage(w.text));
    if (rpm.action !== 'install' && rpm.action !== 'upgrade') return [];
    return rpm.packages.filter((w) => !w.dynamic && isKernelPackage(w.text));
  }
  if (command.name === 'rpm-ostree') {
    const operands = parseArgs(command.args, ['--os', '--sysroot', '--enablerepo', '--disablerepo', '--releasever', '--uninstall']).operands;
    if (operands[0]?.text !== 'install') return [];
    return operands.slice(1).filter((w) => !w.dynamic && isKernelPackage(w.text));
  }
  return [];
}

/** True when the command removes an installed kernel (`dnf remove kernel*`, `rpm -e --nodeps kernel-core`, `dnf swap kernel-core kernel-rt-core`, `rm -rf /usr/lib/modules/...`). */
export function removesAKernel(command: ShellCommand): boolean {
  let removes = removesCache.get(command);
  if (removes === undefined) removesCache.set(command, (removes = computeRemovesAKernel(command)));
  return removes;
}

const removesCache = new WeakMap<ShellCommand, boolean>();

function computeRemovesAKernel(command: ShellCommand): boolean {
  const rpm = parseRpmCommand(command);
  if (rpm) {
    if (rpm.installroot !== undefined) return false;
    if (rpm.action === 'remove' && rpm.parsed.options.has('--oldinstallonly')) return true;
    if (rpm.action === 'remove') return rpm.packages.some(removesKernel);
    if (rpm.action === 'swap') return rpm.packages.slice(0, 1).some(removesKernel);
    return false;
  }
  if (command.name === 'rpm') {
    const parsed = parseArgs(command.args, ['--root', '--dbpath', '--define', '-D']);
    return (parsed.options.has('-e') || parsed.options.has('--erase')) && parsed.operands.some(removesKernel);
  }
  if (command.name === 'rpm-ostree') {
    const parsed = parseArgs(command.args, ['--os', '--sysroot', '--install', '--remove', '--uninstall', '--from']);
    const verbs = parsed.operands.map((w) => w.text);
    // `override replace` swaps the installed kernel for the given packages; `override remove`/`uninstall` drop it.
    if (verbs[0] === 'override' && (verbs[1] === 'remove' || verbs[1] === 'replace')) return parsed.operands.slice(2).some(removesKernel) || (parsed.values.get('--remove') ?? []).some(removesKernel);
    if (verbs[0] === 'uninstall') return parsed.operands.slice(1).some(removesKernel);
    return false;
  }
  if (command.name === 'kernel-install') return command.args.some((a) => a.text === 'remove');
  // `rm -rf /usr/lib/modules/$(rpm -q kernel-core ...)`: a computed modules directory.
  if (command.name === 'rm' && command.args.some((a) => a.dynamic && /^\/(usr\/)?lib\/modules\/./.test(a.text))) return true;
  return commandEffects(command).some((e) => 'pattern' in e && (isUnder(e.pattern, '/usr/lib/modules') || isUnder(e.pattern, '/lib/modules')) && e.pattern.split('/').length > 3);
}

// ---------------------------------------------------------------------------
// Text helpers for fixes

/** True when the command's standard input is fed (`yes | dnf install`, `<<< y`, a heredoc). */
export function hasFedInput(file: Containerfile, instruction: Instruction, command: ShellCommand): boolean {
  if (command.heredoc || command.redirects.some((r) => r.operator === '<<<')) return true;
  const commands = instruction.run?.script.commands ?? [];
  // The nearest earlier command that is not the `sh -c` wrapping this one.
  let at = (commands[command.index] === command ? command.index : commands.indexOf(command)) - 1;
  while (at >= 0 && rangeStrictlyContains(commands[at].range, command.range)) at--;
  const previous = at >= 0 ? commands[at] : undefined;
  if (!previous) return false;
  const between = textBetween(file, previous.range.end, command.range.start);
  return /^[\s\\]*\|&?[\s\\]*$/.test(between);
}


export function textBetween(file: Containerfile, start: Position, end: Position): string {
  const from = file.lines.offsetAt(start);
  const to = file.lines.offsetAt(end);
  return to >= from ? file.text.slice(from, to) : '\u0000';
}

/** True when the command sits inside a `sh -c '...'` string of another command of the RUN. */
export function isNestedCommand(instruction: Instruction, command: ShellCommand): boolean {
  return (instruction.run?.script.commands ?? []).some((c) => c !== command && rangeStrictlyContains(c.range, command.range));
}

/**
 * Adds a cleanup command at the end of a RUN's chain (keeping its layout), or just before a
 * `bootc container lint` that ends it, so the check still runs last.
 */
export function appendCleanup(file: Containerfile, instruction: Instruction, command: string): TextEdit | undefined {
  const run = instruction.run;
  if (!run || run.execForm) return undefined;
  const commands = run.script.commands;
  const last = commands[commands.length - 1];
  const end = run.script.end;
  if (last && end && runsBootcContainerLint(last) && !last.conditional && !isNestedCommand(instruction, last) &&
      last.range.end.line === end.line && last.range.end.character === end.character) {
    return insert(last.range.start, `${command} && `);
  }
  return appendToRun(file, instruction, command);
}

/**
 * True when the command's words sit in the file exactly as parsed, so edits at their ranges are
 * safe (inside `sh -c "..."` with escaped quotes the positions are only approximate).
 */
export function mapsVerbatim(file: Containerfile, command: ShellCommand): boolean {
  return command.words.every((w) => textBetween(file, w.range.start, w.range.end) === w.raw);
}
