/**
 * Reads what `bootc container lint` printed (stdout and stderr together) into findings. Pure:
 * no `vscode`, no I/O.
 *
 * Format (bootc-dev/bootc crates/lib/src/lints.rs, `lint()` and `lint_inner()`; errors go
 * through `run_main`, which prints `error: {e:#}`, and `lint()` has the context `Linting`):
 *
 *     Lint warning: var-log: Found non-empty logfiles:
 *       /var/log/dnf.log
 *       ...and 3 more
 *
 *     Failed lint: var-run: Not a symlink: var/run
 *     Checks passed: 11
 *     Checks skipped: 1
 *     Warnings: 1
 *     error: Linting: Checks failed: 1
 *
 * A lint that hits an I/O problem (or `kernel` with several kernels, `bootc-kargs` with a bad
 * kargs.d file) stops the run: `error: Linting: Unexpected runtime error running lint NAME: …`.
 * `--fatal-warnings` counts warnings in `Checks failed`. bootc before 1.1.5 had no lint names:
 * it stopped at the first problem with `error: Linting: <message>`, mapped here by message.
 */

export type ContainerLintLevel = 'error' | 'warning' | 'info';

/** One problem bootc reported. */
export interface ContainerLintFinding {
  /** bootc's lint name (`var-log`, `sysusers`, …); `unknown` when an old bootc's message names none we know. */
  lint: string;
  /** `error` for `Failed lint` (fatal: the image will not install or boot right), `warning` for `Lint warning`. */
  level: ContainerLintLevel;
  /** bootc's message, lists included as printed (two-space indented items, `...and N more`). */
  message: string;
  /** Absolute paths in the image the message names (unquoted), to find the instruction that made them. */
  paths: string[];
  /** The listed items as printed (quoted as bootc quotes odd names), without `...and N more`. */
  items: string[];
  /** How many more items bootc left out (`...and N more`; `--no-truncate` lists them all). */
  more: number;
  /** bootc could not finish this lint (`Unexpected runtime error running lint …`): the run stopped there. */
  runtimeError?: boolean;
}

/** bootc's closing counts. */
export interface ContainerLintSummary {
  /** `Checks passed: N` (bootc prints it on every finished run, even when lints failed). */
  passed?: number;
  /** `Checks skipped: N` (`--skip`, and lints that do not apply to the root being linted). */
  skipped?: number;
  /** `Warnings: N` */
  warnings?: number;
  /** `Checks failed: N`: failed lints, plus warnings with `--fatal-warnings`. */
  failed?: number;
  /** The text of bootc's first `error: ` line (after `error: `). */
  error?: string;
  /** Warnings counted as failures: the lint ran with `--fatal-warnings`. */
  fatalWarnings?: boolean;
}

export interface ContainerLintResult {
  findings: ContainerLintFinding[];
  summary: ContainerLintSummary;
  /** bootc finished and passed: warnings allowed unless they were made fatal. */
  ok: boolean;
}

/** Every lint bootc has had, with its type (bootc `--list`); for tooling that explains findings. */
export const BOOTC_LINTS: Readonly<Record<string, 'fatal' | 'warning'>> = {
  'api-base-directories': 'fatal',
  'baseimage-composefs': 'warning',
  'baseimage-root': 'fatal',
  'bootc-kargs': 'fatal',
  'buildah-injected': 'warning',
  'etc-uid-drift': 'warning',
  'etc-usretc': 'fatal',
  kernel: 'fatal',
  'nonempty-boot': 'warning',
  'nonempty-run-tmp': 'warning',
  sysusers: 'warning',
  utf8: 'fatal',
  'var-log': 'warning',
  'var-run': 'fatal',
  'var-tmpfiles': 'warning',
};

/**
 * bootc before 1.1.5 printed only `error: Linting: <message>`: the message tells the lint.
 * (Later bootc names them; these are the same checks under today's names.)
 */
const OLD_BOOTC_MESSAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^Not a symlink: var\/run/, 'var-run'],
  [/Found \/usr\/etc\b/, 'etc-usretc'],
  [/Found multiple subdirectories in usr\/lib\/modules/, 'kernel'],
  [/Found non-utf8 (?:filename|symlink target)/, 'utf8'],
  [/API filesystem base directory/, 'api-base-directories'],
  [/prepare-root\.conf/, 'baseimage-composefs'],
  [/\/sysroot\b|ostree -> sysroot\/ostree|\/ostree should be a symlink|Expected \/ostree ->/, 'baseimage-root'],
  [/^Parsing \S+\.toml\b|kargs\.d|\bkargs\b/, 'bootc-kargs'],
  [/Found non-empty logfiles/, 'var-log'],
  [/Found non-empty \/boot|Missing \/boot directory/, 'nonempty-boot'],
];

/**
 * Paths a message names relative to the root (`var/run`) or not at all, per lint. Absolute
 * paths in the message are found without this.
 */
const IMPLIED_PATHS: ReadonlyArray<readonly [string, RegExp, string]> = [
  ['var-run', /var\/run/, '/var/run'],
  ['kernel', /usr\/lib\/modules/, '/usr/lib/modules'],
  ['baseimage-composefs', /prepare-root\.conf/, '/usr/lib/ostree/prepare-root.conf'],
  ['baseimage-root', /ostree -> sysroot\/ostree link/, '/ostree'],
  ['bootc-kargs', /\S/, '/usr/lib/bootc/kargs.d'],
];

const FINDING_LINE = /^(Lint warning|Failed lint): ([A-Za-z0-9._-]+): ?(.*)$/;
const COUNT_LINE = /^(Checks passed|Checks skipped|Warnings): (\d+)\s*$/;
const ERROR_LINE = /^error: (.*)$/;
const MORE_LINE = /^\.\.\.and (\d+) more$/;

/** Parses `bootc container lint` output. */
export function parseContainerLintOutput(text: string): ContainerLintResult {
  const lines = stripAnsi(text).split(/\r?\n/);
  const findings: ContainerLintFinding[] = [];
  const summary: ContainerLintSummary = {};
  /** The finding whose list lines may follow. */
  let open: { finding: ContainerLintFinding; lines: string[] } | undefined;
  const close = () => {
    if (open) finish(open.finding, open.lines);
    open = undefined;
  };

  for (const line of lines) {
    const finding = FINDING_LINE.exec(line);
    if (finding) {
      close();
      const [, kind, lint, first] = finding;
      const opened: ContainerLintFinding = { lint, level: kind === 'Failed lint' ? 'error' : 'warning', message: '', paths: [], items: [], more: 0 };
      findings.push(opened);
      open = { finding: opened, lines: [first] };
      continue;
    }
    const count = COUNT_LINE.exec(line);
    if (count) {
      close();
      const value = Number(count[2]);
      if (count[1] === 'Checks passed') summary.passed = value;
      else if (count[1] === 'Checks skipped') summary.skipped = value;
      else summary.warnings = value;
      continue;
    }
    const error = ERROR_LINE.exec(line);
    if (error) {
      close();
      readError(error[1].trim(), findings, summary);
      continue;
    }
    // A list message goes on with indented items, blank lines, and (sysusers) a second header.
    if (open && (line.trim() === '' || /^\s/.test(line) || (/^[A-Z].*:$/.test(line) && open.lines.some((seen) => /^\s/.test(seen))))) {
      open.lines.push(line);
      continue;
    }
    close();
  }
  close();

  const failedLints = findings.filter((finding) => finding.level === 'error' && !finding.runtimeError).length;
  if (summary.failed !== undefined && summary.failed > failedLints && (summary.warnings ?? 0) > 0) summary.fatalWarnings = true;
  const ok = summary.passed !== undefined && !summary.failed && summary.error === undefined && !findings.some((finding) => finding.level === 'error');
  return { findings, summary, ok };
}

/** `error: …`: bootc's count of failures, a lint that could not run, an old bootc's only finding, or a plain error. */
function readError(text: string, findings: ContainerLintFinding[], summary: ContainerLintSummary): void {
  summary.error ??= text;
  const linting = /^Linting: (.*)$/s.exec(text);
  if (!linting) return; // usage errors, a missing --rootfs: bootc did not lint
  const said = linting[1];
  const failed = /^Checks failed: (\d+)$/.exec(said);
  if (failed) {
    summary.failed = Number(failed[1]);
    return;
  }
  const runtime = /^Unexpected runtime error running lint ([A-Za-z0-9._-]+): (.*)$/s.exec(said);
  const finding: ContainerLintFinding = runtime
    ? { lint: runtime[1], level: 'error', message: runtime[2], paths: [], items: [], more: 0, runtimeError: true }
    : { lint: OLD_BOOTC_MESSAGES.find(([pattern]) => pattern.test(said))?.[1] ?? 'unknown', level: 'error', message: said, paths: [], items: [], more: 0 };
  finish(finding, [finding.message]);
  findings.push(finding);
}

/** Fills message, items, more and paths from the finding's lines as printed. */
function finish(finding: ContainerLintFinding, lines: readonly string[]): void {
  const kept = [...lines];
  while (kept.length > 0 && kept[kept.length - 1].trim() === '') kept.pop();
  finding.message = kept.filter((line, index) => index === 0 || line.trim() !== '').join('\n');
  const headers: string[] = [];
  for (const [index, line] of kept.entries()) {
    if (line.trim() === '') continue;
    if (index > 0 && /^\s/.test(line)) {
      const item = line.trim();
      const more = MORE_LINE.exec(item);
      if (more) finding.more += Number(more[1]);
      else finding.items.push(item);
    } else {
      headers.push(line);
    }
  }
  finding.paths = pathsOf(finding, headers);
}

/** Absolute paths the finding names: its listed paths, else the paths its text names. */
function pathsOf(finding: ContainerLintFinding, headers: readonly string[]): string[] {
  const paths: string[] = [];
  const add = (path: string | undefined) => {
    if (!path || path === '/') return;
    const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
    if (!paths.includes(clean)) paths.push(clean);
  };
  for (const item of finding.items) add(itemPath(finding.lint, item));
  const isList = finding.items.length > 0 || finding.more > 0;
  // A list header names a directory the listed paths are in; it is a path only when the items are not paths (sysusers).
  if (!isList || paths.length === 0) {
    for (const header of headers) {
      const text = isList ? header : header.replace(/"(?:[^"\\]|\\.)*"/g, ''); // `not "x"` quotes a link target, not a path
      for (const match of text.matchAll(/(?<![\w./-])\/[A-Za-z0-9._@+-][A-Za-z0-9._@+/-]*/g)) add(match[0].replace(/[.,:;]+$/, ''));
    }
  }
  for (const [lint, pattern, path] of IMPLIED_PATHS) if (finding.lint === lint && pattern.test(finding.message)) add(path);
  return paths;
}

/** The image path a listed item names: an absolute path, a name in /boot, or the path of a tmpfiles.d line. */
function itemPath(lint: string, item: string): string | undefined {
  if (lint === 'var-tmpfiles' && /^[a-zA-Z][+!-]*\s/.test(item)) {
    // `d /var/lib/foo 0755 root root - -`: tmpfiles.d escapes odd bytes as \xNN, or quotes the path.
    const path = item.replace(/^\S+\s+/, '');
    const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(path);
    const raw = quoted ? quoted[1] : path.split(/\s/)[0];
    return raw.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\(.)/g, '$1');
  }
  const path = unquoteShellWord(item);
  if (path.startsWith('/')) return path;
  if (lint === 'var-tmpfiles' && path.startsWith('var/')) return `/${path}`;
  if (lint === 'nonempty-boot' && path !== '') return `/boot/${path}`;
  return undefined;
}

/** Undoes the shell quoting bootc's PathQuotedDisplay (shlex) puts on odd names: '…', "…", backslashes. */
export function unquoteShellWord(word: string): string {
  let out = '';
  for (let index = 0; index < word.length; index++) {
    const char = word[index];
    if (char === "'") {
      const end = word.indexOf("'", index + 1);
      if (end < 0) return word; // not quoting after all
      out += word.slice(index + 1, end);
      index = end;
    } else if (char === '"') {
      let end = index + 1;
      for (; end < word.length && word[end] !== '"'; end++) {
        if (word[end] === '\\' && /[$`"\\\n]/.test(word[end + 1] ?? '')) end++;
        out += word[end];
      }
      if (end >= word.length) return word;
      index = end;
    } else if (char === '\\' && index + 1 < word.length) {
      out += word[++index];
    } else {
      out += char;
    }
  }
  return out;
}

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
