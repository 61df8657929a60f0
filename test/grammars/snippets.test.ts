/**
 * The Containerfile snippets: strict JSON, well-formed snippet syntax, and — for every choice
 * option and optional part — an expansion that is plausible bootc (dnf cleans up in its own RUN,
 * the skeleton lints last, sysusers/tmpfiles lines are valid for our grammars, kargs.d TOML parses).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandSnippet, parseSnippet, SnippetSyntaxError, tabstops, walkSnippet, type SnippetNode } from './snippet-syntax';
import { Tokenizer, type Grammar } from './textmate';
import { lintCompanion } from '../../server/src/companion';
import { Linter } from '../../server/src/lint';

const root = join(__dirname, '..', '..');
const snippetsText = readFileSync(join(root, 'snippets', 'containerfile.code-snippets'), 'utf8');

interface Snippet {
  readonly prefix: string | readonly string[];
  readonly body: string | readonly string[];
  readonly description: string;
}

const snippets = JSON.parse(snippetsText) as Record<string, Snippet>;
const grammars = new Tokenizer(
  ['sysusers', 'tmpfiles'].map((name) => JSON.parse(readFileSync(join(root, 'syntaxes', `${name}.tmLanguage.json`), 'utf8')) as Grammar),
);

function prefixesOf(snippet: Snippet): string[] {
  return typeof snippet.prefix === 'string' ? [snippet.prefix] : [...snippet.prefix];
}

function snippetByPrefix(prefix: string): Snippet {
  const found = Object.values(snippets).find((snippet) => prefixesOf(snippet).includes(prefix));
  assert.ok(found, `no snippet with prefix ${prefix}`);
  return found;
}

/** One way a user can fill a snippet in: which choice options, which optional parts deleted. */
interface Variant {
  readonly label: string;
  readonly choices: Map<number, number>;
  readonly typed: Map<number, string>;
}

/** The defaults, every option of every choice, and each non-trivial placeholder deleted where it is optional. */
function variantsOf(nodes: readonly SnippetNode[], optional: readonly number[] = []): Variant[] {
  const variants: Variant[] = [{ label: 'defaults', choices: new Map(), typed: new Map() }];
  for (const [index, node] of tabstops(nodes)) {
    if (node.kind !== 'choice') continue;
    node.options.forEach((option, optionIndex) =>
      variants.push({ label: `$${index}=${option}`, choices: new Map([[index, optionIndex]]), typed: new Map() }),
    );
  }
  for (const index of optional) variants.push({ label: `$${index} deleted`, choices: new Map(), typed: new Map([[index, '']]) });
  return variants;
}

function expansionsOf(prefix: string, optional: readonly number[] = []): { label: string; text: string }[] {
  const nodes = parseSnippet(snippetByPrefix(prefix).body);
  return variantsOf(nodes, optional).map((variant) => ({ label: variant.label, text: expandSnippet(nodes, variant) }));
}

/** A Containerfile instruction with its continuation lines joined and its heredocs' bodies. */
interface Instruction {
  readonly keyword: string;
  readonly text: string;
  readonly heredocs: readonly { readonly delimiter: string; readonly lines: readonly string[] }[];
}

const KNOWN_INSTRUCTIONS = new Set([
  'FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD',
  'STOPSIGNAL', 'HEALTHCHECK', 'SHELL',
]);

/** Reads a Containerfile into instructions (comments and blank lines dropped). */
function readContainerfile(text: string): Instruction[] {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\s*$/, ' ') + lines[++i]!.trim();
    const keyword = /^\s*([A-Za-z]+)/.exec(line)?.[1]?.toUpperCase() ?? '';
    assert.ok(KNOWN_INSTRUCTIONS.has(keyword), `not an instruction: ${line}`);
    const heredocs: { delimiter: string; lines: string[] }[] = [];
    for (const marker of line.matchAll(/<<-?(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/g)) {
      const delimiter = marker[2]!;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i]!.trim() !== delimiter; i++) body.push(lines[i]!);
      assert.ok(i < lines.length, `heredoc ${delimiter} is never closed`);
      heredocs.push({ delimiter, lines: body });
    }
    instructions.push({ keyword, text: line.trim(), heredocs });
  }
  return instructions;
}

/** What bootc cares about in any snippet expansion. */
function assertPlausibleBootc(text: string, label: string): Instruction[] {
  assert.doesNotMatch(text, /\$\{|\$\d/, `${label}: an unexpanded tabstop is left`);
  const instructions = readContainerfile(text);
  for (const instruction of instructions) {
    if (instruction.keyword === 'RUN' && /\bdnf\s+(-\S+\s+)*install\b/.test(instruction.text)) {
      assert.match(instruction.text, /\binstall\s+(.*\s)?-y\b/, `${label}: dnf install must not wait for a prompt`);
      const cacheMount = /--mount=type=cache,target=\/var\/cache\/(libdnf5|dnf)\b/.test(instruction.text);
      const cleaned = /\binstall\b.*&&\s*dnf clean all\b/.test(instruction.text);
      assert.ok(cleaned || cacheMount, `${label}: dnf install needs dnf clean all in the same RUN (or a cache mount)`);
      if (cacheMount) assert.doesNotMatch(instruction.text, /dnf clean all/, `${label}: cleaning would empty the cache mount`);
      assert.match(instruction.text, /rm -rf \/var\/log\/dnf\*/, `${label}: dnf logs left in /var/log`);
    }
    const copyTarget = /^COPY\s+<<\w+\s+(\S+)$/.exec(instruction.text)?.[1];
    if (copyTarget) {
      assert.match(copyTarget, /^\/usr\//, `${label}: files shipped by the image belong under /usr (${copyTarget})`);
      const heredoc = instruction.heredocs[0]!;
      if (copyTarget.startsWith('/usr/lib/sysusers.d/')) assertValidConfig('source.sysusers', heredoc.lines, label);
      if (copyTarget.startsWith('/usr/lib/tmpfiles.d/')) assertValidConfig('source.tmpfiles', heredoc.lines, label);
      // The extension's own companion-file checks accept what its snippets write.
      const kind = copyTarget.startsWith('/usr/lib/sysusers.d/') ? 'sysusers' : copyTarget.startsWith('/usr/lib/tmpfiles.d/') ? 'tmpfiles' : undefined;
      if (kind) assert.deepEqual(lintCompanion(kind, heredoc.lines.join('\n')).map((found) => found.message), [], `${label}: ${copyTarget}`);
    }
  }
  return instructions;
}

function assertValidConfig(scopeName: string, lines: readonly string[], label: string): void {
  assert.ok(lines.length > 0, `${label}: empty ${scopeName} file`);
  const tokens = grammars.tokenizeDocument(scopeName, lines).flat();
  const invalid = tokens.filter((token) => token.scopes.some((scope) => scope.startsWith('invalid')));
  assert.deepEqual(invalid.map((token) => token.text), [], `${label}: ${scopeName} rejects ${lines.join(' | ')}`);
}

/** Splits a sysusers/tmpfiles line into fields as systemd does (quotes group words). */
function configFields(line: string): string[] {
  return [...line.matchAll(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+/g)].map((match) => match[0]);
}

test('the snippets file is strict JSON with prefix, body and a one-line description each', () => {
  assert.doesNotThrow(() => JSON.parse(snippetsText));
  assert.ok(Object.keys(snippets).length >= 9);
  const seen = new Set<string>();
  for (const [name, snippet] of Object.entries(snippets)) {
    const prefixes = prefixesOf(snippet);
    assert.ok(prefixes.length > 0 && prefixes.every((prefix) => /^[a-z][a-z0-9-]*$/.test(prefix)), `${name}: prefix`);
    for (const prefix of prefixes) {
      assert.ok(!seen.has(prefix), `prefix ${prefix} used twice`);
      seen.add(prefix);
    }
    assert.ok(typeof snippet.body === 'string' || (Array.isArray(snippet.body) && snippet.body.length > 0), `${name}: body`);
    assert.equal(typeof snippet.description, 'string', `${name}: description`);
    assert.ok(snippet.description.length > 20 && snippet.description.length <= 200, `${name}: description length`);
    assert.doesNotMatch(snippet.description, /\n/, `${name}: description is one line`);
  }
});

test('every snippet the README promises is there, under both of its prefixes', () => {
  const pairs = [
    ['bootc', 'bootc-containerfile'],
    ['dnf-install', 'install-and-clean'],
    ['dnf-install-cache', 'install-cache-mount'],
    ['sysusers', 'sysusers-user'],
    ['tmpfiles', 'tmpfiles-dir'],
    ['kargs', 'kargs-d'],
    ['quadlet', 'quadlet-container'],
    ['systemctl-enable', 'enable-unit'],
    ['secret-mount', 'mount-secret'],
  ] as const;
  for (const [first, second] of pairs) assert.equal(snippetByPrefix(first), snippetByPrefix(second));
});

test('every body parses: numbered tabstops from 1 without gaps, mirrors defined, choices with options', () => {
  for (const [name, snippet] of Object.entries(snippets)) {
    const nodes = parseSnippet(snippet.body);
    const all = [...walkSnippet(nodes)];
    assert.ok(!all.some((node) => node.kind === 'variable'), `${name}: uses a variable`);
    const indexes = [...tabstops(nodes).keys()].filter((index) => index !== 0).sort((a, b) => a - b);
    assert.deepEqual(indexes, indexes.map((_, i) => i + 1), `${name}: tabstops ${indexes.join(',')}`);
    for (const [index, definition] of tabstops(nodes)) {
      if (index !== 0) assert.notEqual(definition.kind, 'tabstop', `${name}: $${index} is a mirror of nothing`);
      if (definition.kind === 'choice') assert.ok(definition.options.length >= 2 && definition.options.every(Boolean), `${name}: choice $${index}`);
    }
    assert.ok(all.filter((node) => node.kind === 'tabstop' && node.index === 0).length <= 1, `${name}: $0 twice`);
  }
});

test('the snippet reader itself: escapes, nesting, mirrors, choices and errors', () => {
  const nodes = parseSnippet('a \\$HOME \\} ${1:x ${2:y}} $1-${2} ${3|p\\,q,r\\|s|} \\\\ $(cmd)$0');
  assert.equal(expandSnippet(nodes), 'a $HOME } x y x y-y p,q \\ $(cmd)');
  assert.equal(expandSnippet(nodes, { choices: new Map([[3, 1]]) }), 'a $HOME } x y x y-y r|s \\ $(cmd)');
  assert.equal(expandSnippet(nodes, { typed: new Map([[1, 'z']]) }), 'a $HOME } z z-y p,q \\ $(cmd)');
  assert.equal(expandSnippet(parseSnippet(['$1 ${1:late}', 'x'])), 'late late\nx');
  assert.throws(() => parseSnippet('${1:open'), SnippetSyntaxError);
  assert.throws(() => parseSnippet('${1|a,b'), SnippetSyntaxError);
  assert.throws(() => expandSnippet(parseSnippet('$TM_FILENAME')), SnippetSyntaxError);
});

test('every expansion of every snippet reads as a Containerfile and follows the bootc rules', () => {
  let checked = 0;
  for (const snippet of Object.values(snippets)) {
    const prefix = prefixesOf(snippet)[0]!;
    for (const { label, text } of expansionsOf(prefix)) {
      assertPlausibleBootc(text, `${prefix} (${label})`);
      checked++;
    }
  }
  assert.ok(checked >= 9 + 5 + 2 + 3 + 4 + 2 + 4, `only ${checked} expansions`);
});

let linter: Linter;
before(async () => {
  linter = await Linter.create();
});

test('every expansion of every snippet lints clean with the extension\'s own rules, in a bootc Containerfile', () => {
  let checked = 0;
  for (const snippet of Object.values(snippets)) {
    const prefix = prefixesOf(snippet)[0]!;
    for (const { label, text } of expansionsOf(prefix)) {
      // A fragment goes into a minimal bootc build; the skeleton is one already.
      const containerfile = /^FROM /m.test(text) ? text : `FROM quay.io/fedora/fedora-bootc:44\n${text}\nRUN bootc container lint\n`;
      const { bootc, findings } = linter.lint(containerfile);
      assert.ok(bootc.enabled, `${prefix} (${label}): ${bootc.reason}`);
      assert.deepEqual(findings.map((found) => `${found.ruleId}: ${found.message}`), [], `${prefix} (${label}):\n${containerfile}`);
      checked++;
    }
  }
  assert.ok(checked >= 29, `only ${checked} expansions`);
});

test('bootc skeleton: FROM a bootc base image for each choice, dnf cleaned up, bootc container lint last', () => {
  const expansions = expansionsOf('bootc');
  const bases = new Set<string>();
  for (const { label, text } of expansions) {
    const instructions = assertPlausibleBootc(text, label);
    assert.equal(instructions[0]!.keyword, 'FROM', label);
    const base = instructions[0]!.text.replace(/^FROM\s+/, '');
    assert.match(base, /^(quay\.io\/fedora\/fedora-bootc|quay\.io\/centos-bootc\/centos-bootc|registry\.redhat\.io\/rhel\d+\/rhel-bootc):[\w.]+$/, label);
    bases.add(base);
    assert.equal(instructions.at(-1)!.text, 'RUN bootc container lint', `${label}: lint must come last`);
    assert.ok(instructions.some((instruction) => /dnf install -y \S+ &&\s+dnf clean all/.test(instruction.text)), label);
    assert.ok(instructions.some((instruction) => /^COPY \S+ \/etc\/\S+$/.test(instruction.text)), `${label}: a config file`);
  }
  assert.deepEqual(
    [...bases].map((base) => base.replace(/:.*/, '').split('/').at(-1)),
    ['fedora-bootc', 'centos-bootc', 'centos-bootc', 'rhel-bootc', 'rhel-bootc'],
  );
  assert.ok(bases.has('quay.io/fedora/fedora-bootc:43') && bases.has('quay.io/centos-bootc/centos-bootc:stream10'));
  assert.ok(bases.has('quay.io/centos-bootc/centos-bootc:stream9'));
});

test('dnf snippets: one RUN that cleans, or a locked cache mount for each dnf cache directory', () => {
  const [clean] = expansionsOf('dnf-install');
  assert.equal(readContainerfile(clean!.text).length, 1);
  assert.match(clean!.text, /^RUN dnf install -y package && \\\n\s+dnf clean all && \\\n\s+rm -rf \/var\/log\/dnf\*/);
  const targets = expansionsOf('dnf-install-cache').map(({ text, label }) => {
    const [instruction] = assertPlausibleBootc(text, label);
    assert.match(instruction!.text, /sharing=locked/);
    return /target=(\S+?),/.exec(instruction!.text)?.[1];
  });
  assert.deepEqual(new Set(targets), new Set(['/var/cache/libdnf5', '/var/cache/dnf']));
});

test('sysusers snippet: a 6-column u line with the home in /var, and the tmpfiles line that creates it', () => {
  const shells = new Set<string>();
  for (const { label, text } of expansionsOf('sysusers')) {
    const [users, dirs] = assertPlausibleBootc(text, label);
    assert.match(users!.text, /^COPY <<EOF \/usr\/lib\/sysusers\.d\/app\.conf$/);
    const lines = users!.heredocs[0]!.lines.filter((line) => !line.startsWith('#'));
    for (const line of lines) {
      const columns = configFields(line);
      assert.ok(columns.length >= 5 && columns.length <= 6, `${label}: ${columns.length} columns in ${line}`);
    }
    const [type, name, id, gecos, home, shell] = configFields(lines[0]!);
    assert.deepEqual([type, name, id, gecos, home], ['u', 'app', '-', '"app service user"', '/var/lib/app']);
    shells.add(shell!);
    assert.match(dirs!.text, /^COPY <<EOF \/usr\/lib\/tmpfiles\.d\/app\.conf$/);
    assert.deepEqual(configFields(dirs!.heredocs[0]!.lines[0]!).slice(0, 5), ['d', home, '0750', name, name]);
  }
  assert.deepEqual(shells, new Set(['/usr/sbin/nologin', '/bin/bash', '/bin/sh']));
  // Renaming the user renames it everywhere (mirrors).
  const nodes = parseSnippet(snippetByPrefix('sysusers').body);
  const renamed = expandSnippet(nodes, { typed: new Map([[1, 'web']]) });
  assert.doesNotMatch(renamed, /\bapp\b/);
  assert.match(renamed, /u web - "web service user" \/var\/lib\/web/);
  assert.match(renamed, /d \/var\/lib\/web 0750 web web -/);
});

test('tmpfiles snippet: a d line under /var/lib', () => {
  for (const { label, text } of expansionsOf('tmpfiles')) {
    const [instruction] = assertPlausibleBootc(text, label);
    assert.deepEqual(configFields(instruction!.heredocs[0]!.lines[0]!), ['d', '/var/lib/app', '0755', 'root', 'root', '-']);
  }
});

test('kargs snippet: TOML with a string array `kargs`, match-architectures optional', async () => {
  // Dynamic import: smol-toml is an ES module, and this test may be compiled as CommonJS.
  const { parse: parseToml } = await import('smol-toml');
  const architectures = new Set<string>();
  for (const { label, text } of expansionsOf('kargs', [3])) {
    const [instruction] = assertPlausibleBootc(text, label);
    assert.match(instruction!.text, /^COPY <<EOF \/usr\/lib\/bootc\/kargs\.d\/\d+-[\w-]+\.toml$/);
    const toml = parseToml(instruction!.heredocs[0]!.lines.join('\n')) as Record<string, unknown>;
    assert.ok(Array.isArray(toml.kargs) && toml.kargs.length > 0 && toml.kargs.every((karg) => typeof karg === 'string'), label);
    assert.deepEqual(Object.keys(toml).filter((key) => key !== 'kargs' && key !== 'match-architectures'), [], label);
    const matching = toml['match-architectures'];
    if (label === '$3 deleted') assert.equal(matching, undefined);
    else {
      assert.ok(Array.isArray(matching), label);
      for (const architecture of matching) architectures.add(String(architecture));
    }
  }
  // bootc compares with Rust's std::env::consts::ARCH names.
  assert.deepEqual(architectures, new Set(['x86_64', 'aarch64', 's390x', 'powerpc64']));
});

test('quadlet snippet: a .container unit in /usr/share/containers/systemd with Image= and WantedBy=', () => {
  const wantedBy = new Set<string>();
  for (const { label, text } of expansionsOf('quadlet', [4])) {
    const [instruction] = assertPlausibleBootc(text, label);
    assert.match(instruction!.text, /^COPY <<EOF \/usr\/share\/containers\/systemd\/[\w-]+\.container$/);
    const unit = instruction!.heredocs[0]!.lines.join('\n');
    assert.match(unit, /\[Container\]\nImage=\S+:\S+/);
    const target = /\[Install\]\nWantedBy=(\S+)/.exec(unit)?.[1];
    assert.ok(target?.endsWith('.target'), label);
    wantedBy.add(target!);
  }
  assert.deepEqual(wantedBy, new Set(['multi-user.target', 'default.target']));
});

test('systemctl-enable snippet: one unit of each choosable kind', () => {
  const units = expansionsOf('systemctl-enable').map(({ label, text }) => {
    const [instruction] = assertPlausibleBootc(text, label);
    return /^RUN systemctl enable (\S+)$/.exec(instruction!.text)?.[1];
  });
  assert.deepEqual(new Set(units), new Set(['app.service', 'app.timer', 'app.socket', 'app.path']));
});

test('secret-mount snippet: the command reads the mounted secret, whose id matches the build option', () => {
  for (const { label, text } of expansionsOf('secret-mount')) {
    const [instruction] = assertPlausibleBootc(text, label);
    const id = /--mount=type=secret,id=([\w-]+),target=\/run\/secrets\/([\w-]+)/.exec(instruction!.text);
    assert.ok(id && id[1] === id[2], label);
    assert.match(text, new RegExp(`--secret id=${id[1]},src=`));
    assert.match(instruction!.text, new RegExp(`"Authorization: Bearer \\$\\(cat /run/secrets/${id[1]}\\)"`), 'escaped $ expands to $');
  }
});
