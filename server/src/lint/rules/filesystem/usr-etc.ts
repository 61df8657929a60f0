import { defineRule, shippedInstructions } from '../../rule';
import { replace } from '../../fixes';
import { isUnder, type FsWrite } from '../../analysis/filesystem';
import { extraWrites, firstPerInstruction, presentWrites } from '../../analysis/layout';
import type { Fix } from '../../types';

/** `COPY x /usr/etc/y` → `COPY x /etc/y`, when the destination is written plainly. */
function copyFix(write: FsWrite): Fix | undefined {
  const instruction = write.instruction;
  const word = instruction.copy?.destinationWord;
  if (!word) return undefined;
  // Exec-form `COPY ["a", "b"]` has no per-word range.
  if ((instruction.ast.getArgumentsContent() ?? '').trimStart().startsWith('[')) return undefined;
  const literal = /(^|["'])\/usr\/etc(?=\/|["']|$)/.exec(word.text);
  let newText: string | undefined;
  if (literal) {
    const at = literal.index + literal[1].length;
    newText = `${word.text.slice(0, at)}/etc${word.text.slice(at + '/usr/etc'.length)}`;
  } else if (!word.text.includes('$')) {
    // Relative to a WORKDIR in /usr: write the absolute destination.
    const path = `/etc${write.path.slice('/usr/etc'.length)}`;
    newText = word.text.endsWith('/') ? `${path}/` : path;
  }
  if (newText === undefined) return undefined;
  return { title: `Copy to ${newText.replace(/["']/g, '')} instead`, edits: [replace(word.range, newText)] };
}

export default defineRule({
  meta: {
    id: 'usr-etc',
    defaultSeverity: 'error',
    category: 'filesystem',
    description: 'Content written to /usr/etc, which bootc reserves for the image\'s default /etc.',
    explanation:
      'On an installed bootc system /usr/etc holds the image\'s pristine copy of /etc, used for the 3-way merge on upgrade; an image that ships both /etc and /usr/etc fails `bootc container lint`. Write configuration to /etc (or to /usr/lib for vendor defaults) instead.',
    fixable: true,
  },
  check(context) {
    const fs = context.filesystem();
    const writes = [...presentWrites(fs), ...extraWrites(shippedInstructions(context.file), fs)].filter((w) => isUnder(w.path, '/usr/etc') && w.kind !== 'attributes');
    for (const write of firstPerInstruction(writes)) {
      const fix = write.instruction.copy ? copyFix(write) : undefined;
      context.report({
        range: write.range,
        message: `${write.path} is in /usr/etc, which bootc reserves for the image's default /etc (the base of the 3-way merge on upgrade); an image with both /etc and /usr/etc fails \`bootc container lint\`. Write it to /etc${write.path.slice('/usr/etc'.length)} instead.`,
        fixes: fix ? [fix] : [],
      });
    }
  },
});
