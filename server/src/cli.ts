/**
 * `bootc-lint`: the command-line linter for CI pipelines. It calls the same pure core as the
 * language server and reads the same project config file (`.bootc-lint.json`), so the editor
 * and CI agree. Exit codes: 0 no error-severity finding, 1 at least one, 2 usage error or an
 * input that could not be linted (missing, unreadable, binary, invalid config).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import packageJson from '../../package.json';
import { CONFIG_FILE_NAME, loadConfigFile, mergeConfig, MODES, ProjectConfigCache, SEVERITY_OVERRIDES } from './config';
import { contextFileReader } from './context-files';
import { COMPANION_RULES, companionRuleById } from './companion';
import { isCompanionCandidate, linterForFile } from './companion/linter';
import { Linter } from './lint/lint';
import { tuneForOneShotRun } from './lint/one-shot';
import { ruleById, rules } from './lint/rules';
import type { Finding, LintConfig, LintMode, LintOptions, Severity, SeverityOverride } from './lint/types';

const NAME = 'bootc-lint';
const VERSION: string = (packageJson as { version?: string }).version ?? '0.0.0';
const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

/** Binary detection looks for a NUL byte in this many leading bytes (like git and grep). */
const BINARY_PROBE_BYTES = 8 * 1024;
/** Build-context files read for rules (e.g. `kargs.d/*.toml`) larger than this are ignored. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

interface CliOptions {
  format: Format;
  fix: boolean;
  rules: Record<string, SeverityOverride>;
  mode?: LintMode;
  configFile?: string;
  noConfig: boolean;
  target?: string;
  context?: string;
  help: boolean;
  version: boolean;
  paths: string[];
}

/** One finding as printed by `--format json` (1-based lines and columns, end exclusive). */
export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  fixable: boolean;
}

interface FileFindings {
  /** Path as shown to the user (as given, or joined under the directory given). */
  file: string;
  absolute: string;
  findings: Finding[];
}

function usage(): string {
  const ruleLines = rules.map((r) => `  ${r.meta.id.padEnd(28)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.description}`);
  for (const r of COMPANION_RULES) if (!ruleById(r.id)) ruleLines.push(`  ${r.id.padEnd(28)} ${r.defaultSeverity.padEnd(8)} ${r.description}`);
  return `Usage: ${NAME} [options] <files or directories>

Lints bootc Containerfiles (bootable container images). Directories are searched
recursively for Containerfile, Dockerfile, Containerfile.*, Dockerfile.*, *.containerfile
and *.dockerfile (skipping .git and node_modules), and bootc companion files:
bootc-image-builder config.toml/config.json, kargs.d/*.toml, sysusers.d/*.conf and
tmpfiles.d/*.conf (docs/companion-files.md).

Options:
  --format <text|json|sarif>   output format on stdout (default: text)
  --fix                        apply the quick fixes in place, then report what is left
  --rule <id>=<severity>       set a rule's severity: error, warning, info, hint or off
                               (repeatable; overrides the config files)
  --config <file>              read this config file (on top of the discovered ${CONFIG_FILE_NAME})
  --no-config                  do not look for ${CONFIG_FILE_NAME} files
  --mode <auto|always|never>   auto: lint only bootc builds (default); always: lint every
                               file as a bootc build; never: report nothing
  --target <stage>             the build target stage (podman build --target)
  --context <dir>              build context folder for files the rules read
                               (default: each Containerfile's folder)
  -h, --help                   show this help
  -V, --version                show the version

Exit status: 0 no error-severity finding, 1 at least one, 2 usage error, invalid config,
or a missing, unreadable or binary input file (the other files are still linted).

Project config: the nearest ${CONFIG_FILE_NAME} above each file, e.g.
  {"mode": "auto", "rules": {"missing-bootc-lint": "off"}, "bootcImages": ["corp.example.com/soe*"]}

Rules:
${ruleLines.join('\n')}
`;
}

function parseArguments(argv: readonly string[]): CliOptions {
  const options: CliOptions = { format: 'text', fix: false, rules: {}, noConfig: false, help: false, version: false, paths: [] };
  const withValue = new Set(['--format', '--rule', '--config', '--mode', '--target', '--context']);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      options.paths.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (arg === '-') throw new UsageError('reading from standard input is not supported; pass file or directory names');
      options.paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    let value: string | undefined;
    if (withValue.has(name)) {
      if (name !== arg) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new UsageError(`option ${name} needs a value`);
    } else if (name !== arg) {
      throw new UsageError(`option ${name} does not take a value`);
    }
    switch (name) {
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '-V':
      case '--version':
        options.version = true;
        break;
      case '--fix':
        options.fix = true;
        break;
      case '--no-config':
        options.noConfig = true;
        break;
      case '--format':
        if (!(FORMATS as readonly string[]).includes(value!)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${value}"`);
        options.format = value as Format;
        break;
      case '--mode':
        if (!(MODES as readonly string[]).includes(value!)) throw new UsageError(`--mode must be one of ${MODES.join(', ')}, not "${value}"`);
        options.mode = value as LintMode;
        break;
      case '--rule': {
        const split = value!.indexOf('=');
        const id = (split >= 0 ? value!.slice(0, split) : value!).trim();
        const severity = split >= 0 ? value!.slice(split + 1).trim() : '';
        if (split < 0) throw new UsageError(`--rule expects <id>=<severity>, e.g. --rule missing-bootc-lint=off, not "${value}"`);
        if (!ruleById(id) && !companionRuleById(id)) throw new UsageError(`--rule: unknown rule id "${id}" (see ${NAME} --help for the list)`);
        if (!(SEVERITY_OVERRIDES as readonly string[]).includes(severity))
          throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITY_OVERRIDES.join(', ')}, not "${severity}"`);
        options.rules[id] = severity as SeverityOverride;
        break;
      }
      case '--config':
        options.configFile = value;
        break;
      case '--target':
        if (!value) throw new UsageError('--target needs a stage name');
        options.target = value;
        break;
      case '--context':
        options.context = value;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  return options;
}

/** `Containerfile`, `Dockerfile`, `Containerfile.*`, `Dockerfile.*`, `*.containerfile`, `*.dockerfile`. */
export function isContainerfileName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith('.dockerignore') || lower.endsWith('.containerignore')) return false;
  if (name === 'Containerfile' || name === 'Dockerfile') return true;
  if (name.startsWith('Containerfile.') || name.startsWith('Dockerfile.')) return true;
  return lower.endsWith('.containerfile') || lower.endsWith('.dockerfile');
}

interface Collected {
  files: Array<{ display: string; absolute: string; explicit: boolean }>;
  problems: string[];
}

function collectFiles(paths: readonly string[]): Collected {
  const collected: Collected = { files: [], problems: [] };
  const seen = new Set<string>();
  const add = (display: string, explicit: boolean) => {
    const absolute = path.resolve(display);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    collected.files.push({ display, absolute, explicit });
  };
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      collected.problems.push(`${dir}: cannot read directory: ${describeError(error)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(child);
      } else if (isContainerfileName(entry.name) || isCompanionCandidate(child)) {
        // Symbolic links are followed to files only (never to directories: no cycles).
        if (entry.isFile() || (entry.isSymbolicLink() && isRegularFile(child))) add(child, false);
      }
    }
  };
  for (const given of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(given);
    } catch (error) {
      collected.problems.push(`${given}: ${describeError(error)}`);
      continue;
    }
    if (stat.isDirectory()) {
      const before = collected.files.length;
      walk(given);
      if (collected.files.length === before) process.stderr.write(`${NAME}: note: no Containerfiles found under ${given}\n`);
    } else if (stat.isFile()) add(given, true);
    else collected.problems.push(`${given}: not a regular file`);
  }
  return collected;
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function describeError(error: unknown): string {
  const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return code || (error instanceof Error ? error.message : String(error));
  }
}

function toJson(result: FileFindings): JsonFinding[] {
  return result.findings.map((f) => ({
    file: result.file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    rule: f.ruleId,
    severity: f.severity,
    message: f.message,
    fixable: f.fixes.length > 0,
  }));
}

function formatText(results: readonly FileFindings[]): string {
  const lines: string[] = [];
  for (const result of results)
    for (const f of toJson(result)) lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule} ${f.message.replace(/\s*\n\s*/g, ' ')}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}

function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** The documentation page of a rule, located relative to the bundle (server/out) or the sources (server/src). */
export function ruleDocUri(id: string): string {
  return pathToFileURL(path.join(__dirname, '..', '..', 'docs', 'rules', `${id}.md`)).href;
}

/** SARIF artifact URI: relative to the working directory when inside it, else an absolute file URI. */
function artifactUri(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return pathToFileURL(absolute).href;
  return relative.split(path.sep).map(encodeURIComponent).join('/');
}

function formatSarif(results: readonly FileFindings[], problems: readonly string[]): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: NAME,
            version: VERSION,
            semanticVersion: VERSION,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id,
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.explanation },
              help: { text: r.meta.explanation },
              helpUri: ruleDocUri(r.meta.id),
              defaultConfiguration: { level: sarifLevel(r.meta.defaultSeverity) },
              properties: { tags: [r.meta.category], fixable: r.meta.fixable },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((result) =>
          result.findings.map((f) => ({
            ruleId: f.ruleId,
            ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
            level: sarifLevel(f.severity),
            message: { text: f.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(result.absolute) },
                  region: {
                    startLine: f.range.start.line + 1,
                    startColumn: f.range.start.character + 1,
                    endLine: f.range.end.line + 1,
                    endColumn: f.range.end.character + 1,
                  },
                },
              },
            ],
          })),
        ),
        invocations: [
          {
            executionSuccessful: problems.length === 0,
            toolExecutionNotifications: problems.map((text) => ({ level: 'error', message: { text } })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function summary(results: readonly FileFindings[], fixed: number, fixedFiles: number): string {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  let total = 0;
  let fixable = 0;
  let files = 0;
  for (const result of results) {
    if (result.findings.length) files++;
    for (const f of result.findings) {
      counts[f.severity]++;
      total++;
      if (f.fixes.length) fixable++;
    }
  }
  const parts: string[] = [];
  if (fixed) parts.push(`fixed ${fixed} problem${fixed === 1 ? '' : 's'} in ${fixedFiles} file${fixedFiles === 1 ? '' : 's'}`);
  if (total) {
    const bySeverity = (Object.keys(counts) as Severity[]).filter((s) => counts[s]).map((s) => `${counts[s]} ${s}${counts[s] === 1 || s === 'info' ? '' : 's'}`);
    let line = `${total} problem${total === 1 ? '' : 's'} (${bySeverity.join(', ')}) in ${files} file${files === 1 ? '' : 's'}`;
    if (fixable) line += `, ${fixable} fixable with --fix`;
    parts.push(line);
  }
  return parts.length ? parts.join('; ') + '\n' : '';
}

/** Writes stdout completely (pipes included), then exits without waiting for anything else. */
function finish(stdout: string, code: number): void {
  const exit = () => process.exit(code);
  process.stdout.on('error', exit); // EPIPE (e.g. `| head`): nothing more to say
  if (!stdout) exit();
  else process.stdout.write(stdout, exit);
}

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseArguments(argv);
    if (!options.help && !options.version && options.paths.length === 0) throw new UsageError('no files or directories given');
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${NAME}: ${error.message}\nUsage: ${NAME} [options] <files or directories>  (see ${NAME} --help)\n`);
    return finish('', EXIT_USAGE);
  }
  if (options.help) return finish(usage(), EXIT_OK);
  if (options.version) return finish(`${NAME} ${VERSION}\n`, EXIT_OK);

  // Config layers, lowest first: discovered .bootc-lint.json < --config file < --rule/--mode.
  const configErrors: string[] = [];
  let explicitConfig: LintConfig = {};
  if (options.configFile !== undefined) {
    const loaded = loadConfigFile(options.configFile);
    configErrors.push(...loaded.errors);
    explicitConfig = loaded.config;
  }
  const commandLineConfig: LintConfig = { ...(options.mode ? { mode: options.mode } : {}), rules: options.rules };

  const collected = collectFiles(options.paths);
  const problems = [...collected.problems];
  const projectConfigs = new ProjectConfigCache();
  const reportedConfigFiles = new Set<string>();
  const configs = collected.files.map((file) => {
    if (options.noConfig) return mergeConfig(explicitConfig, commandLineConfig);
    const { file: configFile, loaded } = projectConfigs.lookup(path.dirname(file.absolute));
    if (configFile && loaded.errors.length && !reportedConfigFiles.has(configFile)) {
      reportedConfigFiles.add(configFile);
      configErrors.push(...loaded.errors);
    }
    return mergeConfig(mergeConfig(loaded.config, explicitConfig), commandLineConfig);
  });
  if (configErrors.length) {
    process.stderr.write(configErrors.map((e) => `${NAME}: invalid config: ${e}\n`).join(''));
    return finish('', EXIT_USAGE);
  }

  tuneForOneShotRun();
  const linter = await Linter.create();
  const results: FileFindings[] = [];
  const notes: string[] = [];
  let fixed = 0;
  let fixedFiles = 0;
  collected.files.forEach((file, index) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file.absolute);
    } catch (error) {
      problems.push(`${file.display}: cannot read: ${describeError(error)}`);
      return;
    }
    if (bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) {
      problems.push(`${file.display}: binary file (contains NUL bytes), not linted`);
      return;
    }
    const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    const text = new TextDecoder('utf-8').decode(bytes); // invalid sequences become U+FFFD; the BOM is dropped
    const fileLinter = linterForFile(file, text, linter);
    if (!fileLinter) return; // another tool's config.toml/config.json
    const lintOptions: LintOptions = {
      config: configs[index],
      readContextFile: contextFileReader(options.context !== undefined ? path.resolve(options.context) : path.dirname(file.absolute)),
      ...(options.target !== undefined ? { target: options.target } : {}),
    };
    try {
      let findings: Finding[];
      let bootc: { enabled: boolean; reason: string };
      if (options.fix) {
        const outcome = fileLinter.fixAll(text, lintOptions);
        ({ findings, bootc } = outcome.result);
        if (outcome.text !== text) {
          try {
            // Fixes insert \n; keep a file that uses \r\n throughout that way (positions do not change).
            const crlf = text.includes('\r\n') && !/(^|[^\r])\n/.test(text);
            fs.writeFileSync(file.absolute, (hasBom ? '\uFEFF' : '') + (crlf ? outcome.text.replace(/\r?\n/g, '\r\n') : outcome.text));
            fixed += outcome.applied;
            fixedFiles++;
          } catch (error) {
            problems.push(`${file.display}: cannot write the fixes: ${describeError(error)}`);
            ({ findings, bootc } = fileLinter.lint(text, lintOptions)); // the file on disk is unchanged
          }
        }
      } else {
        ({ findings, bootc } = fileLinter.lint(text, lintOptions));
      }
      results.push({ file: file.display, absolute: file.absolute, findings });
      if (file.explicit && !bootc.enabled && (configs[index].mode ?? 'auto') === 'auto')
        notes.push(`${file.display}: not linted with bootc rules: ${bootc.reason} (use --mode always to lint it anyway)`);
    } catch (error) {
      problems.push(`${file.display}: internal error while linting: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  let stdout: string;
  if (options.format === 'json') stdout = JSON.stringify(results.flatMap(toJson), null, 2) + '\n';
  else if (options.format === 'sarif') stdout = formatSarif(results, problems);
  else stdout = formatText(results);

  let stderr = problems.map((p) => `${NAME}: ${p}\n`).join('');
  if (options.format === 'text') stderr += notes.map((n) => `${NAME}: note: ${n}\n`).join('') + summary(results, fixed, fixedFiles);
  if (stderr) process.stderr.write(stderr);

  const hasError = results.some((r) => r.findings.some((f) => f.severity === 'error'));
  finish(stdout, problems.length ? EXIT_USAGE : hasError ? EXIT_FINDINGS : EXIT_OK);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(EXIT_USAGE);
});
