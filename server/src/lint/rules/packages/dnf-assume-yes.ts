import { defineRule, shippedInstructions, type RuleContext } from '../../rule';
import { insert } from '../../fixes';
import { hasFedInput, mapsVerbatim, parseRpmCommand, RPM_PROMPTING } from '../../analysis/package-managers';
import type { Instruction } from '../../model/containerfile';
import type { ShellCommand } from '../../shell/script';

/** dnf asks for confirmation; microdnf never does. */
const PROMPTING_MANAGERS = new Set(['dnf', 'dnf5', 'dnf4', 'dnf-3', 'yum']);

export default defineRule({
  meta: {
    id: 'dnf-assume-yes',
    defaultSeverity: 'warning',
    category: 'packages',
    description: 'dnf/yum commands that ask for confirmation without `-y`.',
    explanation:
      'A build has no terminal to answer dnf\'s "Is this ok [y/N]" question: dnf reads end of input, answers no and the RUN fails with "Operation aborted". Pass `-y` (`--assumeyes`).',
    fixable: true,
  },
  check(context) {
    // Worked out on first need: most dnf commands have -y.
    let configured: Place | undefined | null = null;
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const run = instruction.run!;
      for (const command of run.script.commands) {
        const rpm = parseRpmCommand(command);
        if (!rpm || !PROMPTING_MANAGERS.has(rpm.manager) || !RPM_PROMPTING.has(rpm.action)) continue;
        if (rpm.assumeYes || rpm.unknownOptions || rpm.parsed.options.has('--assumeno')) continue;
        if (hasFedInput(context.file, instruction, command)) continue;
        if (configured === null) configured = assumeYesConfigured(context);
        if (configured && before(configured, instruction, command)) continue;
        const verb = rpm.subcommand.map((w) => w.text).join(' ');
        const fixes = run.execForm || !mapsVerbatim(context.file, command) ? [] : [{ title: `Add -y to ${rpm.manager}`, edits: [insert(command.words[0].range.end, ' -y')] }];
        context.report({
          range: command.range,
          message: `\`${rpm.manager} ${verb}\` asks "Is this ok [y/N]" and a build cannot answer: dnf reads end of input, aborts and the RUN fails. Add -y (--assumeyes).`,
          fixes,
        });
      }
    }
  },
});

type Place = { instruction: number; command: number };

function mentions(text: string): boolean {
  // Shorter words cannot hold it (most words): skip the regular expression.
  return text.length >= 9 && /assumeyes/i.test(text);
}

function mentionedIn(word: { text: string }): boolean {
  return mentions(word.text);
}

function isDnfConfig(path: string): boolean {
  return /(^|\/)(dnf|yum|libdnf5?)[^/]*(\/|$)|yum\.conf$|dnf\.conf$/.test(path);
}

function before(place: Place, instruction: Instruction, command: ShellCommand): boolean {
  return place.instruction < instruction.index || (place.instruction === instruction.index && place.command < command.index);
}

/** The first step that sets `assumeyes=True` in dnf's configuration (`echo assumeyes=True >> /etc/dnf/dnf.conf`, `dnf config-manager --setopt=assumeyes=True --save`). */
function assumeYesConfigured(context: RuleContext): Place | undefined {
  for (const instruction of shippedInstructions(context.file)) {
    const copy = instruction.copy;
    if (copy?.destination && isDnfConfig(copy.destination) && copy.heredocs.some((h) => mentions(h.content))) return { instruction: instruction.index, command: -1 };
    for (const command of instruction.run?.script.commands ?? []) {
      if (!command.words.some(mentionedIn) && !(command.heredoc && mentions(command.heredoc.body))) continue;
      const targets = [...command.redirects.map((r) => r.target?.text ?? ''), ...command.args.map((w) => w.text)];
      if (targets.some(isDnfConfig) || command.args.some((w) => w.text === 'config-manager')) return { instruction: instruction.index, command: command.index };
    }
  }
  return undefined;
}
