import { defineRule, shippedInstructions } from '../../rule';
import { removalCovers, type FilesystemAnalysis, type FsWrite } from '../../analysis/filesystem';
import { mentionsSecretPath, pipelinePredecessor, referencedNames, referencesSecretVariable, secretMountPaths } from '../../analysis/secrets';
import type { Scope } from '../../model/variables';
import type { ShellCommand } from '../../shell/script';

/** Commands that pass data through unchanged (or decoded): what they read is what they write. */
const DATA_COMMANDS = new Set(['cat', 'cp', 'install', 'mv', 'rsync', 'tee', 'dd', 'base64', 'tr', 'sed', 'perl', 'awk', 'envsubst', 'echo', 'printf', 'jq', 'head', 'tail']);

export default defineRule({
  meta: {
    id: 'secret-copied-into-image',
    defaultSeverity: 'info',
    category: 'users-secrets',
    description: 'A build secret (secret mount file or secret-like build argument) is copied into the image filesystem.',
    explanation:
      'Copying a secret mount\'s file (or a secret-like build argument) into the image is the documented way to give bootc a registry pull secret, but the file is then part of the image: anyone who can pull the image can read it. Do it only for images kept in protected registries; otherwise provision the credential per machine.',
    fixable: false,
  },
  check(context) {
    let analysis: FilesystemAnalysis | undefined;
    let byCommand: Map<ShellCommand, FsWrite[]> | undefined;
    let shipped: Set<FsWrite> | undefined;
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const commands = instruction.run!.script.commands;
      const secrets = secretMountPaths(instruction);
      const tainted = new Map<ShellCommand, string>();
      for (const command of commands) {
        // Only the data commands are tainted: the origin of the others is not needed.
        if (!DATA_COMMANDS.has(command.name)) continue;
        const origin = secretOrigin(command, instruction.scope, secrets) ?? (pipelinePredecessor(command, commands) && tainted.get(pipelinePredecessor(command, commands)!));
        if (origin) tainted.set(command, origin);
      }
      if (tainted.size === 0) continue;
      analysis ??= context.filesystem();
      if (!byCommand) {
        byCommand = new Map();
        for (const write of analysis.writes) {
          if (!write.command) continue;
          const list = byCommand.get(write.command);
          if (list) list.push(write);
          else byCommand.set(write.command, [write]);
        }
        shipped = new Set(analysis.shipped);
      }
      for (const [command, origin] of tainted) {
        for (const write of byCommand.get(command) ?? []) {
          if (!keptInImage(write, analysis, shipped!)) continue;
          context.report({
            range: write.range,
            message: `${origin} is copied into the image at ${write.path}: anyone who can pull the image can read it. This is the documented way to give bootc a registry pull secret, so do it only for images kept in a protected registry; otherwise provision the credential per machine (kickstart, cloud-init, Ignition).`,
          });
        }
      }
    }
  },
});

/** What secret the command reads, in words for the message. */
function secretOrigin(command: ShellCommand, scope: Scope, secrets: readonly string[]): string | undefined {
  const secretWord = command.args.find((w) => mentionsSecretPath(w, secrets));
  if (secretWord) {
    const path = /\/run\/secrets\/[^\s"')]+/.exec(secretWord.text)?.[0] ?? secretWord.text;
    return `The build secret ${path}`;
  }
  const variableWord = command.args.find((w) => referencesSecretVariable(w, scope));
  if (variableWord) return `The secret-like build variable ${referencedNames(variableWord.raw).find((n) => scope.has(n))}`;
  const heredoc = command.heredoc;
  if (heredoc) {
    if (heredoc.body.includes('/run/secrets/')) return 'A build secret';
    if (!heredoc.quoted) {
      const name = referencedNames(heredoc.body).find((n) => referencesSecretVariable({ raw: `$${n}` }, scope));
      if (name) return `The secret-like build variable ${name}`;
    }
  }
  return undefined;
}

/** The write's result is still in the final image: shipped, or an edit not undone by a later removal. */
function keptInImage(write: FsWrite, analysis: FilesystemAnalysis, shipped: ReadonlySet<FsWrite>): boolean {
  if (write.kind === 'file' || write.kind === 'tree') return shipped.has(write);
  if (write.kind !== 'modify') return false;
  return !analysis.removals.some(
    (removal) =>
      (removal.instruction.index > write.instruction.index || (removal.instruction === write.instruction && (removal.command?.index ?? -1) > (write.command?.index ?? -1))) &&
      removalCovers(removal.pattern, write.path),
  );
}
