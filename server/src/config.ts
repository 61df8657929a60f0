import * as fs from 'node:fs';
import * as path from 'node:path';
import { companionRuleById } from './companion';
import { ruleById } from './lint/rules';
import type { LintConfig, LintMode, SeverityOverride } from './lint/types';

/**
 * The project configuration file (`.bootc-lint.json`), shared by the command-line linter and
 * the language server so that CI and the editor agree. The editor's `bootc.lint.*` settings
 * are layered on top of it with {@link mergeConfig}.
 */
export const CONFIG_FILE_NAME = '.bootc-lint.json';

export const MODES: readonly LintMode[] = ['auto', 'always', 'never'];
export const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'hint', 'off'];

/** Config files larger than this are refused (a config is a few hundred bytes). */
const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadedConfig {
  /** The valid part of the file (invalid keys are left out). */
  config: LintConfig;
  /** One message per problem, each naming the file and the key: `path: "rules.foo": ...`. */
  errors: string[];
}

/**
 * The nearest `.bootc-lint.json` in `dir` or one of its parents (up to the filesystem root),
 * or undefined. Only regular files count.
 */
export function findProjectConfig(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; keep walking up
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** Reads and validates a config file. Never throws: problems (unreadable, bad JSON, bad keys) are in `errors`. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { config: {}, errors: [`${file}: not a regular file`] };
    if (stat.size > MAX_CONFIG_BYTES) return { config: {}, errors: [`${file}: too large for a config file (${stat.size} bytes)`] };
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { config: {}, errors: [`${file}: cannot read: ${describeError(error)}`] };
  }
  return parseConfig(text, file);
}

/** Parses and validates the text of a config file; `source` names it in messages. */
export function parseConfig(text: string, source: string): LoadedConfig {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { config: {}, errors: [`${source}: invalid JSON: ${describeError(error)}`] };
  }
  return validateConfig(value, source);
}

/**
 * Checks a parsed config object (a `.bootc-lint.json` or the editor settings) and returns its
 * valid part plus one message per problem. Unknown keys, unknown rule ids, unknown severities
 * or modes, and non-string image patterns are errors.
 */
export function validateConfig(value: unknown, source: string): LoadedConfig {
  const errors: string[] = [];
  const problem = (key: string, message: string) => errors.push(`${source}: "${key}": ${message}`);
  const config: LintConfig = {};
  if (!isPlainObject(value)) {
    return { config, errors: [`${source}: expected a JSON object like {"mode": "auto", "rules": {}, "bootcImages": []}`] };
  }
  for (const [key, entry] of Object.entries(value)) {
    switch (key) {
      case '$schema':
        break;
      case 'mode':
        if (typeof entry === 'string' && (MODES as readonly string[]).includes(entry)) config.mode = entry as LintMode;
        else problem('mode', `must be one of ${MODES.map((m) => `"${m}"`).join(', ')}, not ${JSON.stringify(entry)}`);
        break;
      case 'rules': {
        if (!isPlainObject(entry)) {
          problem('rules', 'must be an object mapping rule ids to "error", "warning", "info", "hint" or "off"');
          break;
        }
        const rules: Record<string, SeverityOverride> = {};
        for (const [id, severity] of Object.entries(entry)) {
          if (!ruleById(id) && !companionRuleById(id)) problem(`rules.${id}`, `unknown rule id "${id}"`);
          else if (typeof severity === 'string' && (SEVERITY_OVERRIDES as readonly string[]).includes(severity)) rules[id] = severity as SeverityOverride;
          else problem(`rules.${id}`, `severity must be one of ${SEVERITY_OVERRIDES.map((s) => `"${s}"`).join(', ')}, not ${JSON.stringify(severity)}`);
        }
        config.rules = rules;
        break;
      }
      case 'bootcImages': {
        if (!Array.isArray(entry)) {
          problem('bootcImages', 'must be an array of image patterns such as ["corp.example.com/soe*"]');
          break;
        }
        const images: string[] = [];
        entry.forEach((pattern, i) => {
          if (typeof pattern === 'string' && pattern.trim() !== '') images.push(pattern.trim());
          else problem(`bootcImages[${i}]`, `must be a non-empty image pattern string, not ${JSON.stringify(pattern)}`);
        });
        config.bootcImages = images;
        break;
      }
      default:
        problem(key, 'unknown key (expected "mode", "rules" or "bootcImages")');
    }
  }
  return { config, errors };
}

/**
 * Layers `overlay` on top of `base`: the overlay's mode wins when set, rule severities are
 * merged per rule id (the overlay's win), and bootc image patterns are combined.
 * Neither argument is modified.
 */
export function mergeConfig(base: LintConfig | undefined, overlay: LintConfig | undefined): LintConfig {
  const merged: LintConfig = {};
  const mode = overlay?.mode ?? base?.mode;
  if (mode) merged.mode = mode;
  if (base?.rules || overlay?.rules) merged.rules = { ...base?.rules, ...overlay?.rules };
  if (base?.bootcImages || overlay?.bootcImages) merged.bootcImages = [...new Set([...(base?.bootcImages ?? []), ...(overlay?.bootcImages ?? [])])];
  return merged;
}

/**
 * Finds and loads the project config that applies to files in `dir`, memoizing per folder
 * (a CI run lints many files of one project). Pass one cache per run.
 */
export class ProjectConfigCache {
  private readonly byDir = new Map<string, string | undefined>();
  private readonly byFile = new Map<string, LoadedConfig>();

  /** The config file path for `dir` (or undefined) and its loaded content. */
  lookup(dir: string): { file: string | undefined; loaded: LoadedConfig } {
    const resolved = path.resolve(dir);
    let file = this.byDir.get(resolved);
    if (!this.byDir.has(resolved)) {
      file = findProjectConfig(resolved);
      this.byDir.set(resolved, file);
    }
    if (!file) return { file, loaded: { config: {}, errors: [] } };
    let loaded = this.byFile.get(file);
    if (!loaded) {
      loaded = loadConfigFile(file);
      this.byFile.set(file, loaded);
    }
    return { file, loaded };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return code;
  }
  return error instanceof Error ? error.message : String(error);
}
