import { defineRule, shippedInstructions } from '../../rule';
import { isUnder, type FsWrite } from '../../analysis/filesystem';
import { parseArgs } from '../../analysis/commands';
import { extraWrites, firstPerInstruction, presentWrites, removedLater } from '../../analysis/layout';
import { resolvePath } from '../../shell/script';
import type { Containerfile, Stage } from '../../model/containerfile';

/** Unified kernel images of sealed composefs builds live here (bootc ignores `/boot/EFI`). */
const UKI_DIRECTORY = '/boot/EFI/Linux';

function allowed(write: FsWrite): boolean {
  if (write.path === '/boot') return write.kind === 'directory';
  // The directories leading to the UKI directory, and what is put in it.
  if (write.kind === 'directory' && isUnder(UKI_DIRECTORY, write.path)) return true;
  return isUnder(write.path, UKI_DIRECTORY);
}

/**
 * `COPY --from=sealer /out/boot /boot` where the `sealer` stage builds the unified kernel image
 * in `/out/boot/EFI/Linux/` (sealed composefs builds): the tree holds only the UKI directory.
 */
function copiesUkiTree(file: Containerfile, write: FsWrite): boolean {
  const copy = write.instruction.copy;
  if ((write.kind !== 'tree' && write.kind !== 'file') || !copy?.from || copy.sources.length !== 1 || !isUnder(UKI_DIRECTORY, write.path)) return false;
  const from = copy.from.toLowerCase();
  let stage: Stage | undefined = file.stages.find((s) => s.name === from || String(s.index) === from);
  if (!stage || stage.index >= write.instruction.stage.index) return false;
  const source = resolvePath(copy.sources[0].text, '/') ?? '/';
  const ukiInSource = resolvePath(`${source}/${UKI_DIRECTORY.slice(write.path.length)}`, '/') ?? UKI_DIRECTORY;
  // Every path the stage names in the copied tree leads to or is in the UKI directory.
  let uki = false;
  for (; stage; stage = stage.parent) {
    for (const instruction of stage.instructions) {
      for (const command of instruction.run?.script.commands ?? []) {
        for (const word of command.args) {
          if (!word.text.startsWith('/')) continue;
          const path = resolvePath(word.text.split('$')[0], '/') ?? '/';
          if (isUnder(path, ukiInSource)) uki = true;
          else if (isUnder(path, source) && !isUnder(ukiInSource, path)) return false;
        }
      }
    }
  }
  return uki;
}

/** `dracut [options] /boot/initramfs-$(uname -r).img ...`: the image file's static directory. */
function dracutOutputs(instructions: ReturnType<typeof shippedInstructions>): FsWrite[] {
  const writes: FsWrite[] = [];
  for (const instruction of instructions) {
    for (const command of instruction.run?.script.commands ?? []) {
      if (command.name !== 'dracut') continue;
      const parsed = parseArgs(command.args, ['-k', '--kmoddir', '--kver', '-c', '--conf', '--confdir', '-a', '--add', '-o', '--omit', '-d', '--drivers', '--add-drivers', '--omit-drivers', '--force-drivers', '--filesystems', '-i', '--include', '--install', '-I', '--fwdir', '--libdirs', '--tmpdir', '-r', '--sysroot', '--compress', '--kernel-cmdline', '--uefi-stub', '--kernel-image', '--uefi-splash-image', '--sshkey', '-m', '--modules', '--add-fstab', '--mount', '--add-device', '--device', '--stdlog', '--sysloglevel', '--fileloglevel', '--loginstall', '--logfile', '--install-optional', '--hostonly-mode', '--hostonly-nics']);
      const image = parsed.operands[0];
      if (!image || parsed.options.has('--uefi') || parsed.options.has('--regenerate-all')) continue;
      let file: string | undefined;
      if (!image.dynamic) file = resolvePath(image.text, command.cwd);
      else {
        // `/boot/initramfs-$(uname -r).img`: the directory before the dynamic part is static.
        const prefix = image.text.slice(0, image.text.search(/[$`]/));
        const directory = prefix.slice(0, prefix.lastIndexOf('/'));
        if (directory.startsWith('/')) file = `${resolvePath(directory, '/')}/initramfs.img`;
      }
      const path = file;
      if (!path || !isUnder(path, '/boot')) continue;
      if (instruction.run?.mounts.some((m) => m.target !== undefined && isUnder(path, m.target))) continue;
      writes.push({ path, kind: 'file', instruction, command, range: image.range, via: 'dracut' });
    }
  }
  return writes;
}

export default defineRule({
  meta: {
    id: 'boot-content',
    defaultSeverity: 'warning',
    category: 'filesystem',
    description: 'Content written to /boot, which the installed system masks.',
    explanation:
      'bootc manages /boot on the installed system: whatever the image ships there is hidden at runtime, and `bootc container lint` warns about a non-empty /boot. The kernel and initramfs belong in /usr/lib/modules/<kver>/ (vmlinuz, initramfs.img); leave /boot empty.',
    fixable: false,
  },
  check(context) {
    const fs = context.filesystem();
    const shipped = shippedInstructions(context.file);
    const dracut = dracutOutputs(shipped).filter((w) => !removedLater(w, fs.removals));
    const writes = [...presentWrites(fs), ...extraWrites(shipped, fs), ...dracut].filter((w) => isUnder(w.path, '/boot') && w.kind !== 'attributes' && !allowed(w) && !copiesUkiTree(context.file, w));
    for (const write of firstPerInstruction(writes)) {
      const initramfs = write.via === 'dracut';
      context.report({
        range: write.range,
        message: initramfs
          ? `The initramfs is written to /boot, which bootc masks on the installed system: it is never used. Write it to /usr/lib/modules/<kver>/initramfs.img (\`dracut --kver "$kver" /usr/lib/modules/$kver/initramfs.img\`) and leave /boot empty.`
          : `${write.path} is in /boot, which bootc manages on the installed system: content the image ships there is masked and never used. Kernel and initramfs belong in /usr/lib/modules/<kver>/; leave /boot empty (unified kernel images go in /boot/EFI/Linux/).`,
      });
    }
  },
});
