import type { Containerfile } from './model/containerfile';
import type { Finding } from './types';

const INSTRUCTION_IGNORE = /^bootc-lint\s+ignore\s*=\s*([\w\-, ]+)$/i;
const GLOBAL_IGNORE = /^bootc-lint\s+global\s+ignore\s*=\s*([\w\-, ]+)$/i;

function ids(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Drops findings silenced by `# bootc-lint ignore=<id>` on the comment lines directly above
 * the instruction, or by `# bootc-lint global ignore=<id>` anywhere.
 */
export function applySuppressions(file: Containerfile, findings: Finding[]): Finding[] {
  const global = new Set<string>();
  const commentsByLine = new Map<number, string>();
  for (const comment of file.comments) {
    commentsByLine.set(comment.line, comment.text);
    const match = GLOBAL_IGNORE.exec(comment.text);
    if (match) for (const id of ids(match[1])) global.add(id);
  }
  const perLine = new Map<number, Set<string>>(); // instruction start line → ignored ids
  for (const instruction of file.instructions) {
    const ignored = new Set<string>();
    for (let line = instruction.range.start.line - 1; commentsByLine.has(line); line--) {
      const match = INSTRUCTION_IGNORE.exec(commentsByLine.get(line)!);
      if (match) for (const id of ids(match[1])) ignored.add(id);
    }
    if (ignored.size > 0) for (let line = instruction.range.start.line; line <= instruction.range.end.line; line++) perLine.set(line, ignored);
  }
  return findings.filter((f) => !global.has(f.ruleId) && !perLine.get(f.range.start.line)?.has(f.ruleId));
}
