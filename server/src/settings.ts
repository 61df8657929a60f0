/**
 * The `bootc.*` editor settings: their shape, defaults and sanitising. Shared by the language
 * client and server, so it imports nothing from `vscode` and only types from the lint core.
 */
import type { LintConfig, LintMode, SeverityOverride } from './lint/types';

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface BootcSettings {
  lint: {
    /** `bootc.lint.enable`: report bootc diagnostics at all. */
    enable: boolean;
    /** `bootc.lint.mode`: `auto` detects bootc builds; `always` / `never` force it. */
    mode: LintMode;
    /** `bootc.lint.rules`: severity per rule id. */
    rules: Record<string, SeverityOverride>;
    /** `bootc.lint.bootcImages`: glob patterns of base images to treat as bootc. */
    bootcImages: string[];
  };
  trace: { server: TraceLevel };
}

/** The configuration section the client synchronises and the server asks for. */
export const SETTINGS_SECTION = 'bootc';

export const LINT_MODES: readonly LintMode[] = ['auto', 'always', 'never'];
export const SEVERITY_OVERRIDES: readonly SeverityOverride[] = ['error', 'warning', 'info', 'hint', 'off'];
export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

export const DEFAULT_SETTINGS: Readonly<BootcSettings> = Object.freeze<BootcSettings>({
  lint: { enable: true, mode: 'auto', rules: {}, bootcImages: [] },
  trace: { server: 'off' },
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

/**
 * Turns whatever the editor sent for the `bootc` section into valid settings. Invalid values
 * fall back to their defaults (or, inside `rules` and `bootcImages`, are dropped); each one
 * is described in `problems` so the server can log it.
 */
export function sanitizeSettings(raw: unknown): { settings: BootcSettings; problems: string[] } {
  const problems: string[] = [];
  const root = isRecord(raw) ? raw : {};
  const lint = isRecord(root.lint) ? root.lint : {};
  const trace = isRecord(root.trace) ? root.trace : {};
  const settings: BootcSettings = {
    lint: { ...DEFAULT_SETTINGS.lint, rules: {}, bootcImages: [] },
    trace: { ...DEFAULT_SETTINGS.trace },
  };

  if (typeof lint.enable === 'boolean') settings.lint.enable = lint.enable;
  else if (lint.enable !== undefined) problems.push('bootc.lint.enable must be true or false');

  if (oneOf(lint.mode, LINT_MODES)) settings.lint.mode = lint.mode;
  else if (lint.mode !== undefined) problems.push(`bootc.lint.mode must be one of ${LINT_MODES.join(', ')}`);

  if (isRecord(lint.rules)) {
    for (const [id, severity] of Object.entries(lint.rules)) {
      if (oneOf(severity, SEVERITY_OVERRIDES)) settings.lint.rules[id] = severity;
      else problems.push(`bootc.lint.rules.${id} must be one of ${SEVERITY_OVERRIDES.join(', ')}`);
    }
  } else if (lint.rules !== undefined && lint.rules !== null) {
    problems.push('bootc.lint.rules must be an object of rule id → severity');
  }

  if (Array.isArray(lint.bootcImages)) {
    for (const pattern of lint.bootcImages) {
      if (typeof pattern === 'string' && pattern.trim() !== '') settings.lint.bootcImages.push(pattern.trim());
      else problems.push('bootc.lint.bootcImages must hold non-empty strings');
    }
  } else if (lint.bootcImages !== undefined && lint.bootcImages !== null) {
    problems.push('bootc.lint.bootcImages must be an array of image patterns');
  }

  if (oneOf(trace.server, TRACE_LEVELS)) settings.trace.server = trace.server;
  else if (trace.server !== undefined) problems.push(`bootc.trace.server must be one of ${TRACE_LEVELS.join(', ')}`);

  return { settings, problems };
}

/**
 * The part of the lint configuration the editor settings contribute, to be laid over the
 * project's `.bootc-lint.json`. Values equal to the defaults (`auto`, no rules, no images)
 * say nothing, so they leave the project's choices in place.
 */
export function lintConfigOf(settings: BootcSettings): LintConfig {
  const config: LintConfig = {};
  if (settings.lint.mode !== 'auto') config.mode = settings.lint.mode;
  if (Object.keys(settings.lint.rules).length > 0) config.rules = { ...settings.lint.rules };
  if (settings.lint.bootcImages.length > 0) config.bootcImages = [...settings.lint.bootcImages];
  return config;
}
