import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { commandQuoting, commandSpan } from '../../analysis/command-text';
import type { Containerfile, Instruction } from '../../model/containerfile';
import { basename, type ShellCommand } from '../../shell/script';
import type { Fix, TextEdit } from '../../types';

/** What to do instead, per tool. */
const ADVICE: Record<string, string> = {
  'firewall-cmd': 'use `firewall-offline-cmd` (same options), which edits the firewalld configuration without the daemon',
  hostnamectl: 'write `/etc/hostname`, or better leave the hostname to provisioning (cloud-init, DHCP, Ignition)',
  timedatectl: 'link the zone: `ln -sf ../usr/share/zoneinfo/Europe/Berlin /etc/localtime`',
  localectl: 'write `/etc/locale.conf` (`LANG=...`) and `/etc/vconsole.conf` (`KEYMAP=...`)',
  nmcli: 'ship NetworkManager keyfiles in `/usr/lib/NetworkManager/system-connections/` or `/etc/NetworkManager/system-connections/` (mode 0600), or generate one with `nmcli --offline`',
  gsettings: 'ship defaults in a system dconf database: a keyfile in `/etc/dconf/db/local.d/` followed by `dconf update`, or a GSettings override in `/usr/share/glib-2.0/schemas/` followed by `glib-compile-schemas`',
  dconf: 'ship defaults in a system dconf database: a keyfile in `/etc/dconf/db/local.d/` followed by `dconf update`',
};

const NOT_ACTING = new Set(['-h', '--help', '--version']);

export default defineRule({
  meta: {
    id: 'dbus-tool',
    defaultSeverity: 'warning',
    category: 'build-environment',
    description: 'Tools that need D-Bus or a running service (firewall-cmd, hostnamectl, timedatectl, localectl, nmcli, gsettings set, dconf write) used at build time.',
    explanation:
      'These tools ask a running daemon over D-Bus to make the change; a container build has neither D-Bus nor the daemons, so they fail or change only the build user\'s session, and nothing reaches the installed system. Write the configuration files instead (e.g. `firewall-offline-cmd`, `/etc/locale.conf`, NetworkManager keyfiles, system dconf databases).',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      for (const outer of instruction.run!.script.commands) {
        const command = withoutBusWrapper(outer);
        const tool = needsBus(command);
        if (!tool) continue;
        const fix = command.name === 'firewall-cmd' ? offlineFix(context.file, instruction, command) : undefined;
        context.report({
          range: commandSpan(command),
          message: `${tool} needs D-Bus and a running service, which a container build does not have: it fails or changes nothing in the image. Instead, ${ADVICE[command.name]}.`,
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
});

/**
 * `dbus-launch gsettings set ...` / `dbus-run-session -- dconf write ...`: a private session bus
 * makes the command run, but the change lands in root's own dconf database, not in the image's defaults.
 */
function withoutBusWrapper(command: ShellCommand): ShellCommand {
  if (command.name !== 'dbus-launch' && command.name !== 'dbus-run-session') return command;
  let i = 0;
  while (i < command.args.length && command.args[i].text.startsWith('-')) {
    const text = command.args[i++].text;
    if (text === '--') break;
    if (text === '--config-file' || text === '--dbus-daemon') i++;
  }
  const words = command.args.slice(i);
  if (words.length === 0 || words[0].dynamic) return command;
  const name = basename(words[0].text);
  return { ...command, name, words, args: words.slice(1) };
}

/** The tool as the message names it, when the command needs the bus. */
function needsBus(command: ShellCommand): string | undefined {
  if (!(command.name in ADVICE)) return undefined;
  const args = command.args;
  if (args.some((a) => NOT_ACTING.has(a.text))) return undefined;
  const operands = args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
  switch (command.name) {
    case 'timedatectl':
    case 'localectl':
      // `list-timezones`, `list-locales`, `list-keymaps` read files and work offline.
      if (operands[0]?.startsWith('list-')) return undefined;
      return command.name;
    case 'firewall-cmd':
    case 'hostnamectl':
      return command.name;
    case 'nmcli':
      // `nmcli --offline connection add ...` prints a keyfile without NetworkManager.
      if (args.some((a) => a.text === '--offline')) return undefined;
      return 'nmcli';
    case 'gsettings':
      return ['set', 'reset', 'reset-recursively'].includes(operands[0]) ? `gsettings ${operands[0]}` : undefined;
    case 'dconf':
      return ['write', 'reset', 'load'].includes(operands[0]) ? `dconf ${operands[0]}` : undefined;
  }
  return undefined;
}

/** Options of firewall-cmd that have no offline meaning. */
const RUNTIME_ONLY = /^--(reload|complete-reload|runtime-to-permanent|state|timeout(=.*)?|check-config|get-active-zones|panic-on|panic-off|query-panic|list-all-zones)$/;

/** `firewall-cmd [--permanent] X` → `firewall-offline-cmd X`. */
function offlineFix(file: Containerfile, instruction: Instruction, command: ShellCommand): Fix | undefined {
  if (commandQuoting(instruction, command) === 'none') return undefined;
  const commandWord = command.words[0];
  if (commandWord.raw !== commandWord.text) return undefined;
  const kept = command.args.filter((a) => a.text !== '--permanent');
  if (kept.length === 0 || kept.some((a) => RUNTIME_ONLY.test(a.text))) return undefined;
  const edits: TextEdit[] = [replace(commandWord.range, commandWord.text.replace(/firewall-cmd$/, 'firewall-offline-cmd'))];
  for (const arg of command.args) {
    if (arg.text !== '--permanent') continue;
    const line = arg.range.start.line;
    const lineText = file.lines.lineText(line);
    if (lineText.slice(0, arg.range.start.character).trim() === '' && /^\s*\\\s*$/.test(lineText.slice(arg.range.end.character)) && line + 1 < file.lines.lineCount) {
      // `    --permanent \` alone on a continued line: drop the line.
      edits.push(replace({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, ''));
      continue;
    }
    // Delete the word and the blank before it.
    const start = file.lines.offsetAt(arg.range.start);
    let from = start;
    while (from > 0 && (file.text[from - 1] === ' ' || file.text[from - 1] === '\t')) from--;
    edits.push(replace(file.lines.rangeOf(from, file.lines.offsetAt(arg.range.end)), ''));
  }
  return { title: 'Use firewall-offline-cmd', edits };
}
