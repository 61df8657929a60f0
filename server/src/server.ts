/**
 * The bootc language server: wires the pure lint core to LSP. Started by the VS Code client
 * over IPC, or by any editor with `node server/out/server.js --stdio`.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  type Diagnostic,
  type Hover,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Dockerfile } from 'dockerfile-ast';
import { parseContainerfile, type Containerfile } from './lint/model/containerfile';
import { ProjectConfigCache, mergeConfig } from './config';
import { Linter, ruleById, type Finding, type LintOptions } from './lint';
import { disableForFileEdit, disableForInstructionEdit, FIX_ALL_KIND, kindRequested, minimalEdit, parse, SHOW_DOCUMENTATION_COMMAND } from './lsp/codeActions';
import { companionCheckDocsUri, diagnosticKey, ruleDocsUri, SOURCE, toDiagnostic } from './lsp/diagnostics';
import { contextFileReader } from './context-files';
import { documentDir } from './lsp/files';
import { companionCheck, hoverFor } from './lsp/hover';
import { companionRuleById } from './companion';
import { companionLinter, type FileLinter } from './companion/linter';
import { detectBootc } from './lint/detect';
import { bootcHover, combineHovers } from './lsp/bootc-hover';
import { bootcCompletions } from './lsp/completion';
import { classifyDocument, type DocumentKind } from './lsp/documents';
import { EditorModels } from './lsp/editorModel';
import { buildInputsOf } from './image/build-inputs';
import { handleLocate } from './lsp/locate';
import { BUILD_INPUTS_REQUEST, LOCATE_REQUEST, type BuildInputs, type BuildInputsParams, type LocateParams, type LocateResult } from './lsp/protocol';
import { lintConfigOf, sanitizeSettings, SETTINGS_SECTION, type BootcSettings } from './settings';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** The one linter of the server: it keeps parsed RUN scripts between edits. */
let linter: Promise<Linter | undefined> | undefined;
let clientConfiguration = false;
let clientDocumentChanges = false;
/** Settings pushed with `didChangeConfiguration` when the client cannot be asked per document. */
let pushedSettings: unknown;

/** What a document is linted with: editor settings over the project's `.bootc-lint.json`. */
interface DocumentConfig {
  enabled: boolean;
  options: LintOptions;
}

/** The last lint of a document; code actions and hovers find its findings (and fixes) again here. */
interface DocumentState {
  version: number;
  generation: number;
  config: DocumentConfig;
  /** A Containerfile, a companion file (config.toml, kargs.d, sysusers.d, tmpfiles.d) or neither. */
  kind: DocumentKind;
  /** What linted it (and applies "Fix all"); undefined for documents the server leaves alone. */
  fileLinter: FileLinter | undefined;
  findings: Finding[];
  byKey: Map<string, Finding[]>;
}

/** Bumped when settings or project config files change, so every document is linted again. */
let generation = 0;
let projectConfigs = new ProjectConfigCache();
const configs = new Map<string, Promise<DocumentConfig>>();
const states = new Map<string, DocumentState>();
/** Parsed Containerfiles for hover and completion, one per document version. */
const editorModels = new EditorModels();
const reported = new Set<string>();

function logOnce(message: string): void {
  if (reported.has(message)) return;
  reported.add(message);
  connection.console.warn(message);
}

connection.onInitialize((params) => {
  clientConfiguration = !!params.capabilities.workspace?.configuration;
  clientDocumentChanges = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
  linter = Linter.create().catch((error: unknown) => {
    connection.console.error(`bootc: cannot load the shell parser, linting is off: ${String(error)}`);
    return undefined;
  });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['/', ':'] },
    },
    serverInfo: { name: 'bootc-language-server' },
  };
});

connection.onInitialized(() => {
  if (clientConfiguration) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(() => undefined);
  }
});

// ---- configuration ----------------------------------------------------------------------

async function editorSettings(uri: string): Promise<BootcSettings> {
  let raw = pushedSettings;
  if (clientConfiguration) {
    try {
      raw = await connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
    } catch (error) {
      logOnce(`bootc: cannot read the settings: ${String(error)}`);
    }
  }
  const { settings, problems } = sanitizeSettings(raw);
  for (const problem of problems) logOnce(`bootc: ignoring an invalid setting: ${problem}`);
  return settings;
}

async function loadDocumentConfig(uri: string): Promise<DocumentConfig> {
  const settings = await editorSettings(uri);
  const dir = documentDir(uri);
  let project = {};
  if (dir) {
    const { loaded } = projectConfigs.lookup(dir);
    for (const error of loaded.errors) logOnce(`bootc: ${error}`);
    project = loaded.config;
  }
  return {
    enabled: settings.lint.enable,
    options: { config: mergeConfig(project, lintConfigOf(settings)), readContextFile: dir ? contextFileReader(dir) : undefined },
  };
}

function documentConfig(uri: string): Promise<DocumentConfig> {
  let config = configs.get(uri);
  if (!config) {
    config = loadDocumentConfig(uri);
    configs.set(uri, config);
  }
  return config;
}

function configurationChanged(): void {
  generation++;
  configs.clear();
  reported.clear();
  projectConfigs = new ProjectConfigCache();
  for (const document of documents.all()) schedule(document.uri);
}

connection.onDidChangeConfiguration((change) => {
  pushedSettings = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
  configurationChanged();
});

// The VS Code client watches `.bootc-lint.json` files and reports their changes here.
connection.onDidChangeWatchedFiles(() => configurationChanged());

// ---- linting ----------------------------------------------------------------------------

/**
 * Lints the document's current text unless that version was already linted with the current
 * configuration, publishes the diagnostics and returns the state (undefined once closed).
 */
async function lintDocument(uri: string): Promise<DocumentState | undefined> {
  for (;;) {
    const before = documents.get(uri);
    if (!before) return undefined;
    const known = states.get(uri);
    if (known && known.version === before.version && known.generation === generation) return known;
    const wanted = generation;
    const config = await documentConfig(uri);
    const core = await linter;
    if (!core) return undefined;
    if (wanted !== generation) continue; // the configuration changed while we waited for it
    // While awaiting, the document may have been closed, changed or linted by another caller.
    const document = documents.get(uri);
    if (!document) return undefined;
    const latest = states.get(uri);
    if (latest && latest.version === document.version && latest.generation === generation) return latest;

    const kind = classifyDocument(uri, document.languageId, document.getText());
    const fileLinter = kind.type === 'companion' ? companionLinter(kind.kind) : kind.type === 'containerfile' ? core : undefined;
    let findings: Finding[] = [];
    if (config.enabled && fileLinter) {
      try {
        findings = fileLinter.lint(document.getText(), config.options).findings;
      } catch (error) {
        connection.console.error(`bootc: linting ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    const byKey = new Map<string, Finding[]>();
    for (const finding of findings) {
      const key = diagnosticKey(finding.ruleId, finding.range);
      byKey.set(key, [...(byKey.get(key) ?? []), finding]);
    }
    const state: DocumentState = { version: document.version, generation, config, kind, fileLinter, findings, byKey };
    states.set(uri, state);
    const docsUri = kind.type === 'companion' ? companionCheckDocsUri : ruleDocsUri;
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: findings.map((finding) => toDiagnostic(finding, docsUri)) });
    return state;
  }
}

/*
 * Re-lint on every change, without a debounce delay, but only for the newest version: the
 * JSON-RPC connection handles one queued message per event-loop turn, so linting waits
 * until a whole turn passes without a new change (a burst of queued edits is linted once),
 * or at most MAX_WAIT_MS under a flood of changes.
 */
const MAX_WAIT_MS = 50;
const queued = new Set<string>();
let flushing = false;
let changedSinceHop = false;
let firstQueuedAt = 0;

function schedule(uri: string): void {
  queued.add(uri);
  changedSinceHop = true;
  if (!flushing) {
    flushing = true;
    firstQueuedAt = performance.now();
    setImmediate(flush);
  }
}

function flush(): void {
  if (changedSinceHop && performance.now() - firstQueuedAt < MAX_WAIT_MS) {
    changedSinceHop = false;
    setImmediate(flush);
    return;
  }
  flushing = false;
  changedSinceHop = false;
  const uris = [...queued];
  queued.clear();
  for (const uri of uris) void lintDocument(uri);
}

documents.onDidOpen((event) => schedule(event.document.uri));
documents.onDidChangeContent((event) => schedule(event.document.uri));
documents.onDidClose((event) => {
  const uri = event.document.uri;
  queued.delete(uri);
  states.delete(uri);
  configs.delete(uri);
  editorModels.delete(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

// ---- code actions -----------------------------------------------------------------------

function workspaceEdit(document: TextDocument, edits: TextEdit[]): WorkspaceEdit {
  if (clientDocumentChanges) return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] };
  return { changes: { [document.uri]: edits } };
}

function ruleCodeActions(document: TextDocument, state: DocumentState, diagnostic: Diagnostic, seen: Set<string>, ast: () => Dockerfile): CodeAction[] {
  const ruleId = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  const companion = state.kind.type === 'companion';
  if (diagnostic.source !== SOURCE || !ruleId || !(companion ? companionRuleById(ruleId) : ruleById(ruleId))) return [];
  const actions: CodeAction[] = [];
  const add = (action: CodeAction) => {
    if (seen.has(action.title)) return;
    seen.add(action.title);
    actions.push(action);
  };
  for (const finding of state.byKey.get(diagnosticKey(ruleId, diagnostic.range)) ?? []) {
    finding.fixes.forEach((fix, index) => {
      // Companion fixes say whether they are safe to apply unasked; Containerfile rules put the best first.
      const isPreferred = companion ? (fix as { preferred?: boolean }).preferred === true : index === 0;
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred, edit: workspaceEdit(document, fix.edits) });
    });
  }
  // Companion files have no suppression comments: their checks are turned off in the settings.
  const docs = companion ? companionCheckDocsUri(ruleId) : ruleDocsUri(ruleId);
  if (!companion) addDisableActions(document, diagnostic, ruleId, ast, add);
  if (docs) {
    const title = `Show documentation for ${ruleId}`;
    add({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: SHOW_DOCUMENTATION_COMMAND, arguments: [docs] } });
  }
  return actions;
}

function addDisableActions(document: TextDocument, diagnostic: Diagnostic, ruleId: string, ast: () => Dockerfile, add: (action: CodeAction) => void): void {
  const instructionEdit = disableForInstructionEdit(document, diagnostic.range.start.line, ruleId, ast());
  if (instructionEdit) {
    add({ title: `Disable ${ruleId} for this instruction`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(document, [instructionEdit]) });
  }
  const fileEdit = disableForFileEdit(document, ruleId, ast());
  if (fileEdit) add({ title: `Disable ${ruleId} for this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit(document, [fileEdit]) });
}

function fixAllAction(document: TextDocument, state: DocumentState): CodeAction | undefined {
  if (!state.config.enabled || !state.fileLinter || !state.findings.some((f) => f.fixes.length > 0)) return undefined;
  const { text, applied } = state.fileLinter.fixAll(document.getText(), state.config.options);
  const edit = applied > 0 ? minimalEdit(document, text) : undefined;
  if (!edit) return undefined;
  return { title: 'Fix all auto-fixable bootc problems', kind: FIX_ALL_KIND, edit: workspaceEdit(document, [edit]) };
}

connection.onCodeAction(async (params: CodeActionParams) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const state = await lintDocument(document.uri);
  if (!state || state.version !== document.version) return [];
  const actions: CodeAction[] = [];
  const only = params.context.only;
  if (kindRequested(only, CodeActionKind.QuickFix)) {
    const seen = new Set<string>();
    let tree: Dockerfile | undefined;
    const ast = () => (tree ??= parse(document));
    for (const diagnostic of params.context.diagnostics) actions.push(...ruleCodeActions(document, state, diagnostic, seen, ast));
  }
  // "Fix all" re-lints until nothing is left to fix: only when asked for explicitly (the
  // Source Action menu, editor.codeActionsOnSave), not on every cursor move.
  if (only && kindRequested(only, FIX_ALL_KIND)) {
    try {
      const fixAll = fixAllAction(document, state);
      if (fixAll) actions.push(fixAll);
    } catch (error) {
      connection.console.error(`bootc: fix all failed: ${String(error)}`);
    }
  }
  return actions;
});

// ---- hover and completion ---------------------------------------------------------------

/**
 * The parsed model of a Containerfile document and whether it is a bootc build (by the same
 * detection and settings as the linter), for hover and completion; undefined for other documents.
 */
async function editorModel(uri: string): Promise<{ file: Containerfile; bootcBuild: boolean } | undefined> {
  const config = await documentConfig(uri);
  if (!(await linter)) return undefined; // the model needs the shell parser
  const document = documents.get(uri);
  if (!document || classifyDocument(uri, document.languageId, document.getText()).type !== 'containerfile') return undefined;
  const file = editorModels.get(uri, document.version, document.getText());
  return { file, bootcBuild: detectBootc(file, config.options.config).enabled };
}

connection.onHover(async (params): Promise<Hover | null> => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return null;
  const state = await lintDocument(document.uri);
  if (!state) return null;
  const rules = hoverFor(state.findings, params.position, state.kind.type === 'companion' ? companionCheck : undefined);
  const model = await editorModel(document.uri);
  return model ? combineHovers(rules, bootcHover(model.file, params.position, { bootcBuild: model.bootcBuild })) : rules;
});

connection.onCompletion(async (params): Promise<CompletionItem[]> => {
  const model = await editorModel(params.textDocument.uri);
  return model ? bootcCompletions(model.file, params.position, { bootcBuild: model.bootcBuild }) : [];
});

// ---- requests of the bootc client (build commands) ------------------------------------------

connection.onRequest(BUILD_INPUTS_REQUEST, async (params: BuildInputsParams): Promise<BuildInputs | null> => {
  if (!(await linter)) return null; // the model needs the shell parser loaded
  return buildInputsOf(parseContainerfile(params.text));
});

connection.onRequest(LOCATE_REQUEST, (params: LocateParams): Promise<LocateResult> => handleLocate(params));

documents.listen(connection);
connection.listen();
