import type { Instruction } from '../model/containerfile';
import type { ShellCommand } from '../shell/script';
import type { Range } from '../types';
import { SHELLS } from '../shell/script';
import { rangeStrictlyContains } from '../text';

/** Shells whose `-c` string is parsed as a nested script. */

/** From the command word to the end of its last argument: what a command finding underlines. */
export function commandSpan(command: ShellCommand): Range {
  const first = command.words[0];
  const last = command.words[command.words.length - 1];
  return { start: first.range.start, end: last.range.end };
}

/**
 * How the command's text sits in the file, for fixes that rewrite it:
 * `'plain'` (shell form or heredoc script, edits are safe), `'single'` / `'double'` (inside a
 * quoted `sh -c` string, where inserted quotes or `$` would change the outer quoting), or
 * `'none'` (exec form, where the words have no ranges of their own).
 */
export function commandQuoting(instruction: Instruction, command: ShellCommand): 'plain' | 'single' | 'double' | 'none' {
  const run = instruction.run;
  if (!run || run.execForm) return 'none';
  let result: 'plain' | 'single' | 'double' = 'plain';
  for (const other of run.script.commands) {
    if (other === command || !SHELLS.has(other.name)) continue;
    for (const word of other.args) {
      if (!rangeStrictlyContains(word.range, command.range)) continue;
      if (word.raw.startsWith('"')) return 'double';
      if (word.raw.startsWith("'")) result = 'single';
      else if (word.raw.includes('"') || word.raw.includes('\\')) return 'double';
    }
  }
  return result;
}
