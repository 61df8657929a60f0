import { analyzeFilesystem, type FilesystemAnalysis } from './analysis/filesystem';
import { detectBootc } from './detect';
import { applyEdits, nonOverlappingFixes } from './fixes';
import { parseContainerfile, ScriptCache } from './model/containerfile';
import type { RuleContext } from './rule';
import { rules } from './rules';
import { loadShellParser } from './shell/parser';
import { applySuppressions } from './suppress';
import { LineIndex } from './text';
import type { Finding, LintOptions, LintResult, Range, Severity } from './types';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2, hint: 3 } as const;

/**
 * Keeps a reported range inside the document (positions mapped approximately from inside
 * quoted `sh -c` strings or broken heredocs can point past a line's end), the same way
 * `applyEdits` would interpret it.
 */
function clampRange(lines: LineIndex, range: Range): Range {
  const start = lines.positionAt(lines.offsetAt(range.start));
  const end = lines.positionAt(Math.max(lines.offsetAt(range.start), lines.offsetAt(range.end)));
  return start.line === range.start.line && start.character === range.start.character && end.line === range.end.line && end.character === range.end.character ? range : { start, end };
}

/**
 * The pure lint core: text and options in, findings (with their fixes) out.
 * The language server, the CLI, the tests and the benchmark all call it.
 */
export class Linter {
  private readonly cache: ScriptCache | undefined;

  private constructor(cacheScripts: boolean) {
    this.cache = cacheScripts ? new ScriptCache() : undefined;
  }

  /**
   * Loads the shell parser (wasm) once per process; `lint` is synchronous afterwards.
   * @param options.cacheScripts reuse parsed RUN scripts across calls (default true; the editor relies on it)
   */
  static async create(options: { cacheScripts?: boolean } = {}): Promise<Linter> {
    await loadShellParser();
    return new Linter(options.cacheScripts ?? true);
  }

  lint(text: string, options: LintOptions = {}): LintResult {
    const file = parseContainerfile(text, options.target, this.cache);
    this.cache?.sweep();
    const detection = detectBootc(file, options.config);
    if (!detection.enabled) return { bootc: { enabled: false, reason: detection.reason }, findings: [] };

    const overrides = options.config?.rules ?? {};
    let filesystem: FilesystemAnalysis | undefined;
    const findings: Finding[] = [];
    for (const rule of rules) {
      const override = overrides[rule.meta.id];
      if (override === 'off') continue;
      const severity = (report: { severity?: Severity }) => override ?? report.severity ?? rule.meta.defaultSeverity;
      const context: RuleContext = {
        file,
        knownBootcBase: detection.knownBootcBase,
        options,
        filesystem: () => (filesystem ??= analyzeFilesystem(file)),
        report: (report) =>
          findings.push({
            ruleId: rule.meta.id,
            severity: severity(report),
            message: report.message,
            range: clampRange(file.lines, report.range),
            fixes: (report.fixes ?? []).map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, range: clampRange(file.lines, edit.range) })) })),
          }),
      };
      try {
        rule.check(context);
      } catch (error) {
        // A rule bug must not take the other rules (or the editor) down with it.
        if (process.env.BOOTC_LINT_DEBUG) console.error(`rule ${rule.meta.id} failed:`, error);
      }
    }
    const kept = applySuppressions(file, findings);
    kept.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
    return { bootc: { enabled: true, reason: detection.reason }, findings: kept };
  }

  /**
   * Applies every finding's first fix, re-linting between passes, until nothing fixable is
   * left (at most 10 passes, like eslint). Returns the new text and the remaining findings.
   */
  fixAll(text: string, options: LintOptions = {}): { text: string; result: LintResult; applied: number } {
    let applied = 0;
    let result = this.lint(text, options);
    for (let pass = 0; pass < 10; pass++) {
      const fixes = nonOverlappingFixes(result.findings);
      if (fixes.length === 0) break;
      const next = applyEdits(text, fixes.flatMap((f) => f.edits));
      if (next === text) break;
      text = next;
      applied += fixes.length;
      result = this.lint(text, options);
    }
    return { text, result, applied };
  }
}
