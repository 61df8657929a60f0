import type { ShellCommand, Word } from '../shell/script';

/** dracut options that take a separate value (dracut(8)); `--include` takes two. */
const WITH_VALUE = new Set([
  '-a', '--add', '--force-add', '-o', '--omit', '-m', '--modules', '-d', '--drivers', '--add-drivers', '--force-drivers',
  '--omit-drivers', '--filesystems', '-k', '--kmoddir', '--fwdir', '--libdirs', '--kernel-cmdline', '--fscks', '--prefix',
  '--mount', '--add-device', '--device', '-I', '--install', '--install-optional', '--compress', '--squash-compressor',
  '--sshkey', '--logfile', '--kver', '-c', '--conf', '--confdir', '--add-confdir', '--tmpdir', '-r', '--sysroot',
  '--loginstall', '--hostonly-mode', '--hostonly-nics', '--persistent-policy', '--add-fstab', '-L', '--stdlog',
  '--sysloglevel', '--fileloglevel', '--kmsgloglevel', '--uefi-stub', '--uefi-splash-image', '--kernel-image',
  '--uefi-secureboot-cert', '--uefi-secureboot-key', '--sbat', '--rebuild',
]);

/** Options after which dracut does not build an initramfs for one kernel. */
const NOT_BUILDING = new Set(['-h', '--help', '--version', '--list-modules', '--print-cmdline', '--regenerate-all', '--check-supported', '--print-config']);

/** One word of a dracut command line, classified. */
export interface DracutWord {
  word: Word;
  role: 'option' | 'value' | 'operand';
  /** The option name (`--kver`, `-f`...) for options, short clusters kept whole. */
  option?: string;
}

export interface DracutCall {
  words: DracutWord[];
  /** The command builds an initramfs (not `--help`, `--list-modules`, `--regenerate-all`...). */
  builds: boolean;
  /** The kernel version it was given (`--kver X`, `--kver=X` or the second operand). */
  kver?: Word;
  /** The kernel version is the build host's (`$(uname -r)`). */
  hostKernel: boolean;
  /** The command line may hold more words than we see (an unquoted `$VAR` that could carry options). */
  opaque: boolean;
  /** `-f`/`--force` is present. */
  force: boolean;
}

const UNAME = /\$\(\s*uname\s+-r\s*\)|`\s*uname\s+-r\s*`/;

/** Classifies a `dracut` command's words (undefined for other commands). */
export function dracutCall(command: ShellCommand): DracutCall | undefined {
  if (command.name !== 'dracut') return undefined;
  const words: DracutWord[] = [];
  const operands: Word[] = [];
  let kver: Word | undefined;
  let builds = true;
  let opaque = false;
  let force = false;
  let onlyOperands = false;
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const text = word.text;
    if (onlyOperands || !text.startsWith('-') || text === '-') {
      // An unquoted lone `$OPTS` can expand to several words, options included.
      if (word.dynamic && !word.quoted && /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(word.raw)) opaque = true;
      words.push({ word, role: 'operand' });
      operands.push(word);
      continue;
    }
    if (text === '--') {
      onlyOperands = true;
      words.push({ word, role: 'option', option: '--' });
      continue;
    }
    const eq = text.indexOf('=');
    const name = text.startsWith('--') && eq >= 0 ? text.slice(0, eq) : text;
    words.push({ word, role: 'option', option: name });
    if (NOT_BUILDING.has(name)) builds = false;
    if (!text.startsWith('--') && text.length > 2) {
      // A getopt cluster: `-vf`, `-fa mod`, `-mfoo` (value attached).
      for (let j = 1; j < text.length; j++) {
        const letter = `-${text[j]}`;
        if (letter === '-f') force = true;
        if (WITH_VALUE.has(letter) || letter === '-i') {
          if (j + 1 === text.length) for (let k = 0; k < (letter === '-i' ? 2 : 1) && i + 1 < args.length; k++) words.push({ word: args[++i], role: 'value' });
          break;
        }
      }
      continue;
    }
    if (name === '--force' || name === '-f') force = true;
    const inlineValue = text.startsWith('--') && eq >= 0;
    let takes = inlineValue ? 0 : WITH_VALUE.has(name) ? 1 : 0;
    if (!inlineValue && (name === '-i' || name === '--include')) takes = 2;
    if (name === '--kver') kver = inlineValue ? { ...word, text: text.slice(eq + 1) } : args[i + 1];
    for (let k = 0; k < takes && i + 1 < args.length; k++) words.push({ word: args[++i], role: 'value' });
  }
  if (!kver && operands.length >= 2) kver = operands[1];
  const hostKernel = kver !== undefined && UNAME.test(kver.raw);
  return { words, builds, kver, hostKernel, opaque, force };
}

/**
 * The command rebuilds the image's initramfs for an explicit kernel: `dracut` with a kernel
 * version (or `--regenerate-all`), `kernel-install add <kver> ...`, or installing a kernel package
 * (its scriptlets run dracut for that kernel).
 */
export function rebuildsInitramfs(command: ShellCommand): boolean {
  const call = dracutCall(command);
  if (call) return (call.builds && call.kver !== undefined && !call.hostKernel) || call.words.some((w) => w.option === '--regenerate-all');
  if (command.name === 'kernel-install') return command.args.some((a) => a.text === 'add' || a.text === 'add-all');
  if (['dnf', 'dnf5', 'yum', 'microdnf'].includes(command.name)) {
    const operands = command.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
    const verb = operands[0];
    if (!['install', 'reinstall', 'update', 'upgrade', 'distro-sync'].includes(verb ?? '')) return false;
    return operands.slice(1).some((p) => /^kernel(-core|-rt|-rt-core|-[a-z0-9]+-core)?([-.]\d.*)?$/.test(p));
  }
  return false;
}
