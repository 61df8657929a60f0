import type { Instruction } from '../model/containerfile';
import type { Scope } from '../model/variables';
import { basename, type ShellCommand, type Word } from '../shell/script';
import { isUnder } from './filesystem';
import { parseArgs } from './commands';
import { isSecretLikeName } from './secret-names';

/**
 * Shared knowledge of the "Users, groups and secrets" rules: which names look like
 * credentials, where secret mounts are, and where a password-setting command reads from.
 */

const KEY_FILES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk']);

/**
 * True when a build-context path names a credential file: `auth.json`,
 * `.docker/config.json`, SSH private keys (`id_rsa`... not `.pub`), `.netrc`, `credentials`,
 * `*.key` (unless it is a public or GPG key) and `*.pem` whose name says it is a private key
 * (`key.pem`, `server-key.pem`, `privkey.pem`, `private.pem`: a plain `cert.pem` or `ca.pem` is a certificate).
 */
export function isCredentialPath(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  const name = basename(trimmed);
  const lower = name.toLowerCase();
  if (lower === 'auth.json' || lower === '.netrc' || lower === 'netrc' || lower === 'credentials' || KEY_FILES.has(lower)) return true;
  if (lower === 'config.json') return /(^|\/)\.docker\/config\.json$/i.test(trimmed);
  const isPublic = /pub|gpg|cert|\.crt/.test(lower);
  if (lower.endsWith('.key')) return !isPublic;
  if (lower.endsWith('.pem')) return !isPublic && /key|priv/.test(lower);
  return false;
}

/** Where secret mounts of a RUN are visible: their targets, and `/run/secrets` (the default). */
export function secretMountPaths(instruction: Instruction): string[] {
  const paths = ['/run/secrets'];
  for (const mount of instruction.run?.mounts ?? []) if (mount.type === 'secret' && mount.target) paths.push(mount.target);
  return paths;
}

/** True when the word's value or text points into a secret mount. */
export function mentionsSecretPath(word: Word, secretPaths: readonly string[]): boolean {
  if (word.raw.includes('/run/secrets/') || word.text.includes('/run/secrets/')) return true;
  // Usually `/run/secrets` is the only place: nothing more to compare.
  let text: string | undefined;
  for (const p of secretPaths) {
    if (p === '/run/secrets') continue;
    text ??= word.text.replace(/^[^/]*/, '');
    if (text !== '' && isUnder(text.split(/[\s"':]/)[0], p)) return true;
  }
  return false;
}

/** Variables a word references (`$X`, `${X}`, `${X:-y}`). */
export function referencedNames(raw: string): string[] {
  if (!raw.includes('$')) return [];
  return [...raw.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

/** True when the word references a build variable (ARG/ENV) whose name looks like a secret. */
export function referencesSecretVariable(word: { raw: string }, scope: Scope): boolean {
  return referencedNames(word.raw).some((name) => scope.has(name) && isSecretLikeName(name));
}

export type InputSource = 'secret' | 'literal' | 'unknown';

/**
 * Classifies a value fed to a password tool: from a secret mount, a literal (written in the
 * Containerfile, a build variable, a hash made with `mkpasswd`/`openssl passwd`), or unknown
 * (a shell variable or command we cannot follow: prefer silence).
 */
export function classifyWords(words: readonly Word[], scope: Scope, secretPaths: readonly string[]): InputSource {
  if (words.some((w) => mentionsSecretPath(w, secretPaths))) return 'secret';
  let literal = true;
  for (const word of words) {
    if (!word.dynamic) continue;
    if (/\b(mkpasswd|openssl\s+passwd|crypt)\b/.test(word.raw)) continue;
    if (referencedNames(word.raw).some((name) => scope.has(name))) continue;
    literal = false;
  }
  return literal ? 'literal' : 'unknown';
}

/** Commands that print their arguments. */
const PRINTERS = new Set(['echo', 'printf']);
/** Commands that print files named by their operands. */
const FILE_READERS = new Set(['cat', 'head', 'tail', 'base64', 'tr', 'sed', 'awk', 'envsubst', 'xargs']);

/** The command feeding `command` through a pipe, if any. */
export function pipelinePredecessor(command: ShellCommand, commands: readonly ShellCommand[]): ShellCommand | undefined {
  if (command.pipeline === undefined) return undefined;
  for (let i = command.index - 1; i >= 0; i--) {
    const candidate = commands[i];
    if (candidate.pipeline === command.pipeline && !candidate.inSubstitution) return candidate;
  }
  return undefined;
}

/**
 * Where a command's standard input comes from: a heredoc or here-string, a `<` redirect,
 * or the command before it in a pipeline.
 */
export function stdinSource(command: ShellCommand, commands: readonly ShellCommand[], scope: Scope, secretPaths: readonly string[]): InputSource | undefined {
  for (const redirect of command.redirects) {
    if (!redirect.target) continue;
    if (redirect.operator === '<<<') return classifyWords([redirect.target], scope, secretPaths);
    if (redirect.operator === '<' && !redirect.descriptor) return mentionsSecretPath(redirect.target, secretPaths) ? 'secret' : redirect.target.dynamic ? 'unknown' : 'literal';
  }
  if (command.heredoc) {
    const body = command.heredoc.body;
    if (body.includes('/run/secrets/') || secretPaths.some((p) => p !== '/run/secrets' && body.includes(p))) return 'secret';
    if (command.heredoc.quoted) return 'literal';
    if (/\$\(|`/.test(body) || referencedNames(body).some((name) => !scope.has(name))) return 'unknown';
    return 'literal';
  }
  const previous = pipelinePredecessor(command, commands);
  if (!previous) return undefined;
  return producerSource(previous, commands, scope, secretPaths);
}

/** What a command writes to its standard output, as far as secrets go. */
function producerSource(command: ShellCommand, commands: readonly ShellCommand[], scope: Scope, secretPaths: readonly string[]): InputSource {
  if (PRINTERS.has(command.name)) {
    const words = command.args.filter((w) => !/^-[neE]+$/.test(w.text));
    return classifyWords(words, scope, secretPaths);
  }
  if (FILE_READERS.has(command.name)) {
    if (command.args.some((w) => mentionsSecretPath(w, secretPaths))) return 'secret';
    const operands = parseArgs(command.args).operands;
    if (operands.length === 0) {
      const upstream = stdinSource(command, commands, scope, secretPaths);
      return upstream ?? 'unknown';
    }
    if (command.name === 'cat' && operands.every((w) => !w.dynamic)) return 'literal';
    return 'unknown';
  }
  if (command.args.some((w) => mentionsSecretPath(w, secretPaths))) return 'secret';
  return 'unknown';
}

/** Password values that lock or clear an account rather than set a secret. */
export function isLockedPassword(value: string): boolean {
  return value === '' || /^[!*x]+$/.test(value) || value === '!*';
}
