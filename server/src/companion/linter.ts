/**
 * Companion files behind the Containerfile linter's interface, so the language server and the
 * command-line linter run them through the same pipeline (severity overrides from the same
 * settings and `.bootc-lint.json`, `lint` and `fixAll` of the same shape). Pure, like the core.
 */
import { applyEdits } from '../lint/fixes';
import type { LintOptions, LintResult } from '../lint/types';
import { companionKind, lintCompanion, preferredFixes } from './index';
import type { CompanionKind, CompanionOptions } from './types';

/** What the CLI and the server call to lint one file: the Containerfile `Linter` or a companion linter. */
export interface FileLinter {
  lint(text: string, options?: LintOptions): LintResult;
  fixAll(text: string, options?: LintOptions): { text: string; result: LintResult; applied: number };
}

const DESCRIPTIONS: Record<CompanionKind, string> = {
  'bib-config-toml': 'a bootc-image-builder config',
  'bib-config-json': 'a bootc-image-builder config',
  kargs: 'a bootc kargs.d file',
  sysusers: 'a sysusers.d file',
  tmpfiles: 'a tmpfiles.d file',
};

/** The companion options of the lint options: the same per-rule severities. */
function companionOptions(options: LintOptions): CompanionOptions {
  return { rules: options.config?.rules };
}

/** A {@link FileLinter} running the checks of one kind of companion file. */
export function companionLinter(kind: CompanionKind): FileLinter {
  const lint = (text: string, options: LintOptions = {}): LintResult => {
    if (options.config?.mode === 'never') return { bootc: { enabled: false, reason: 'linting is turned off (mode "never")' }, findings: [] };
    return { bootc: { enabled: true, reason: DESCRIPTIONS[kind] }, findings: lintCompanion(kind, text, companionOptions(options)) };
  };
  return {
    lint,
    fixAll(text, options = {}) {
      let applied = 0;
      let result = lint(text, options);
      // Like the Containerfile linter: fix, check again, until nothing fixable is left (at most 10 passes).
      for (let pass = 0; pass < 10 && result.bootc.enabled; pass++) {
        const fixes = preferredFixes(kind, text, companionOptions(options));
        if (fixes.length === 0) break;
        const next = applyEdits(text, fixes.flatMap((chosen) => chosen.edits));
        if (next === text) break;
        text = next;
        applied += fixes.length;
        result = lint(text, options);
      }
      return { text, result, applied };
    },
  };
}

/**
 * Whether a file's path makes it a possible companion file (decided for good by
 * {@link companionKind}, which reads the text): `config.toml`/`config.json`, `kargs.d/*.toml`,
 * `sysusers.d/*.conf`, `tmpfiles.d/*.conf`.
 */
export function isCompanionCandidate(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1];
  const folder = parts[parts.length - 2] ?? '';
  if (name === 'config.toml' || name === 'config.json') return true;
  if (folder === 'kargs.d') return name.endsWith('.toml');
  return (folder === 'sysusers.d' || folder === 'tmpfiles.d' || folder === 'user-tmpfiles.d') && name.endsWith('.conf');
}

/**
 * The linter for a file the CLI collected: the companion checks for a companion file, the
 * Containerfile linter otherwise, or undefined for a `config.toml`/`config.json` found in a
 * folder that belongs to another tool (named explicitly, it is linted as a Containerfile).
 */
export function linterForFile(file: { absolute: string; explicit: boolean }, text: string, containerfiles: FileLinter): FileLinter | undefined {
  const kind = companionKind(file.absolute, text);
  if (kind) return companionLinter(kind);
  return isCompanionCandidate(file.absolute) && !file.explicit ? undefined : containerfiles;
}
