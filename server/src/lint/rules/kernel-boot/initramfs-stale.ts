import { defineRule } from '../../rule';
import { isUnder, type FsWrite } from '../../analysis/filesystem';
import { dracutCall, rebuildsInitramfs } from '../../analysis/dracut';
import type { ShellCommand } from '../../shell/script';

/**
 * `dracut -f /usr/lib/modules/$kver/initramfs.img` without a kernel version still writes the
 * image's initramfs: dracut-kver reports the missing version, this rule stays silent. So does a
 * build script named for the job (`/ctx/build-initramfs`).
 */
function rebuildsImageInitramfs(command: ShellCommand): boolean {
  if (rebuildsInitramfs(command)) return true;
  // A build script we cannot read that says what it does: `/ctx/build-initramfs`, `initramfs.sh`.
  if (/initramfs/i.test(command.name) && !/^(lsinitramfs|unmkinitramfs)$/.test(command.name)) return true;
  // `mv -v /boot/initramfs*.img "/lib/modules/${kver}/initramfs.img"`: an initramfs built some
  // other way (`bash <(echo "dracut $args")`) replaces the image's.
  if ((command.name === 'mv' || command.name === 'cp' || command.name === 'install') && command.args.length >= 2) {
    const target = command.args[command.args.length - 1];
    if (/\/lib\/modules\/.+\/initramfs\.img["']?$/.test(target.raw)) return true;
  }
  const call = dracutCall(command);
  const image = call?.builds ? call.words.find((w) => w.role === 'operand') : undefined;
  // `/usr/lib/modules/$kver/initramfs.img`, `"$(find /usr/lib/modules ...)/initramfs.img"`.
  return image !== undefined && /\/initramfs\.img$/.test(image.word.text) && /\/lib\/modules\b/.test(image.word.raw);
}

/** Files the initramfs is built from: changing them changes nothing until dracut runs again. */
const INPUTS = ['/usr/lib/dracut/dracut.conf.d', '/etc/dracut.conf.d', '/etc/dracut.conf', '/usr/lib/dracut/modules.d', '/usr/lib/ostree/prepare-root.conf'];

function initramfsInput(path: string): string | undefined {
  const normalized = path.startsWith('/lib/') ? `/usr${path}` : path;
  // Every input is under /usr/lib or /etc: most paths are not.
  if (!normalized.startsWith('/usr/lib/') && !normalized.startsWith('/etc/')) return undefined;
  return INPUTS.find((input) => isUnder(normalized, input));
}

/** `COPY prepare-root.conf /usr/lib/ostree/`: the file lands at the destination plus the source's name. */
function copiedInput(write: FsWrite): string | undefined {
  const copy = write.instruction.copy;
  if (!copy || write.kind !== 'tree') return undefined;
  for (const source of copy.sources) {
    const name = source.text.replace(/\/+$/, '').split('/').pop() ?? '';
    if (!name || name.startsWith('<<') || /[*?[]/.test(name)) continue;
    const input = initramfsInput(`${write.path.replace(/\/$/, '')}/${name}`);
    if (input) return input;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'initramfs-stale',
    defaultSeverity: 'warning',
    category: 'kernel-boot',
    description: 'An initramfs input (dracut configuration, prepare-root.conf) is changed but the initramfs is not rebuilt afterwards.',
    explanation:
      'The initramfs in `/usr/lib/modules/<kver>/initramfs.img` is built into the base image; dracut configuration and `/usr/lib/ostree/prepare-root.conf` (composefs, transient `/etc` or root) only take effect when it is rebuilt. Run `kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img "$kver"` after the change.',
    fixable: false,
  },
  check(context) {
    const { writes, shipped } = context.filesystem();
    // Most images change no initramfs input: then there is nothing to look for.
    const inputs = writes.flatMap((write) => {
      const input = initramfsInput(write.path) ?? copiedInput(write);
      return input && write.kind !== 'attributes' && write.kind !== 'directory' ? [{ write, input }] : [];
    });
    if (inputs.length === 0) return;
    const order = new Map(context.file.shippedInstructions.map((instruction, i) => [instruction, i]));
    // The last place the initramfs is rebuilt: [instruction position, command index].
    let lastRebuild: [number, number] | undefined;
    context.file.shippedInstructions.forEach((instruction, position) => {
      for (const command of instruction.run?.script.commands ?? []) {
        if (rebuildsImageInitramfs(command) && (!lastRebuild || position > lastRebuild[0] || (position === lastRebuild[0] && command.index > lastRebuild[1]))) lastRebuild = [position, command.index];
      }
    });
    let shippedSet: Set<FsWrite> | undefined;
    const reported = new Set<string>();
    for (const { write, input } of inputs) {
      // Removed again later (or written to a mount): not an input of the shipped image.
      if (write.kind !== 'modify' && !(shippedSet ??= new Set(shipped)).has(write)) continue;
      const position = order.get(write.instruction)!;
      const commandIndex = write.command?.index ?? -1;
      if (lastRebuild && (lastRebuild[0] > position || (lastRebuild[0] === position && lastRebuild[1] > commandIndex))) continue;
      const key = `${write.range.start.line}:${write.range.start.character}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const what = input === '/usr/lib/ostree/prepare-root.conf' ? 'prepare-root.conf is read from the initramfs' : 'dracut configuration and modules only take effect in a rebuilt initramfs';
      context.report({
        range: write.range,
        message: `${write.path} changes the initramfs, but the image's initramfs is not rebuilt afterwards: ${what}, so the installed system boots with the base image's. Rebuild it later in the build: \`kver=$(cd /usr/lib/modules && echo *); dracut -vf /usr/lib/modules/$kver/initramfs.img "$kver"\`.`,
      });
    }
  },
});
