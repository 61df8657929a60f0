import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { commandQuoting, commandSpan } from '../../analysis/command-text';
import type { ShellCommand, Word } from '../../shell/script';

/** Verbs that talk to a running systemd (PID 1), which a container build does not have. */
const RUNTIME_VERBS = new Set([
  'start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'try-reload-or-restart', 'force-reload', 'condrestart',
  'status', 'is-active', 'is-failed', 'daemon-reload', 'daemon-reexec', 'isolate', 'kill',
]);

/** systemctl options that take a separate value. */
const WITH_VALUE = new Set(['-t', '--type', '-s', '--signal', '-p', '--property', '-o', '--output', '-n', '--lines', '--root', '--state', '--job-mode', '-H', '--host', '-M', '--machine', '--kill-whom', '--kill-value', '--what', '--boot-loader-entry', '--boot-loader-menu', '--reboot-argument', '--timestamp', '--when', '--preset-mode', '--image', '--message', '--drop-in', '--image-policy', '--check-inhibitors']);

export default defineRule({
  meta: {
    id: 'systemctl-runtime',
    defaultSeverity: 'warning',
    category: 'build-environment',
    description: 'systemctl verbs that need a running systemd (start, stop, restart, daemon-reload...) do nothing useful in a build.',
    explanation:
      'A container build has no running systemd, so `systemctl start`, `restart`, `status`, `daemon-reload` and similar fail or are ignored; nothing they would do is saved in the image. Enable units instead (`systemctl enable x.service`): they start when the installed system boots.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      for (const command of instruction.run!.script.commands) {
        if (command.name !== 'systemctl') continue;
        const verb = verbOf(command.args);
        if (!verb || !RUNTIME_VERBS.has(verb.text)) continue;
        const canFix = (verb.text === 'start' || verb.text === 'restart') && commandQuoting(instruction, command) !== 'none' && verb.raw === verb.text;
        context.report({
          range: commandSpan(command),
          message: message(verb.text),
          fixes: canFix ? [{ title: `Replace systemctl ${verb.text} with systemctl enable`, edits: [replace(verb.range, 'enable')] }] : [],
        });
      }
    }
  },
});

/** The verb (first operand), or undefined when the command works offline on a root directory (`--root=`). */
function verbOf(args: readonly Word[]): Word | undefined {
  for (let i = 0; i < args.length; i++) {
    const text = args[i].text;
    if (text === '--root' || text.startsWith('--root=')) return undefined;
    if (text.startsWith('--') && text.includes('=')) continue;
    if (WITH_VALUE.has(text)) {
      i++;
      continue;
    }
    if (text.startsWith('-')) continue;
    if (args[i].dynamic) return undefined;
    return args[i];
  }
  return undefined;
}

function message(verb: string): string {
  const base = `systemctl ${verb} needs a running systemd, which a container build does not have: it fails or does nothing, and nothing it would do is saved in the image.`;
  if (verb === 'start' || verb === 'restart' || verb === 'reload-or-restart' || verb === 'try-restart' || verb === 'try-reload-or-restart' || verb === 'condrestart') return `${base} Enable the unit instead (\`systemctl enable <unit>\`) so it starts when the installed system boots.`;
  if (verb === 'daemon-reload' || verb === 'daemon-reexec') return `${base} Unit files added to the image are loaded at boot; remove the command (use \`systemctl enable\` to start units at boot).`;
  if (verb === 'stop' || verb === 'kill') return `${base} To keep a unit from starting on the installed system, use \`systemctl disable\` or \`systemctl mask\`.`;
  if (verb === 'isolate') return `${base} To choose the target the installed system boots into, use \`systemctl set-default <target>\`.`;
  return `${base} Remove the command; check units on the booted system instead.`;
}
