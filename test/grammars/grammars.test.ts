/**
 * The sysusers.d, tmpfiles.d and kickstart grammars: valid JSON, includes that resolve, no dead
 * repository entries, regexes that work in JavaScript AND mean the same in Oniguruma, sample
 * lines with the scopes we promise, and this machine's real sysusers.d/tmpfiles.d files
 * without a single invalid token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileGrammarRegex, Tokenizer, type Captures, type Grammar, type GrammarRule, type Token } from './textmate';

const root = join(__dirname, '..', '..');
const LANGUAGES = ['sysusers', 'tmpfiles', 'kickstart'] as const;
type Language = (typeof LANGUAGES)[number];

function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(root, ...path), 'utf8')) as T;
}

const grammars = Object.fromEntries(
  LANGUAGES.map((language) => [language, readJson<Grammar>('syntaxes', `${language}.tmLanguage.json`)]),
) as Record<Language, Grammar>;

/** A stand-in for VS Code's shell grammar: enough to see that %pre/%post bodies are handed to it. */
const shellStandIn: Grammar = {
  scopeName: 'source.shell',
  patterns: [{ match: '\\b(?:echo|systemctl)\\b', name: 'support.function.builtin.shell' }],
};
const tokenizer = new Tokenizer([...Object.values(grammars), shellStandIn]);

/** Every rule object in a grammar, with whether it is reachable only through a capture's patterns. */
function* allRules(grammar: Grammar): Generator<GrammarRule> {
  const stack: GrammarRule[] = [...grammar.patterns, ...Object.values(grammar.repository ?? {})];
  while (stack.length > 0) {
    const rule = stack.pop()!;
    yield rule;
    stack.push(...(rule.patterns ?? []));
    for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures]) stack.push(...Object.values(captures ?? {}));
  }
}

function regexesOf(rule: GrammarRule): string[] {
  return [rule.match, rule.begin, rule.end].filter((source): source is string => source !== undefined);
}

/** Repository names reachable from `rules` through includes (transitively). */
function reachableEntries(grammar: Grammar, rules: readonly GrammarRule[]): Set<string> {
  const reached = new Set<string>();
  const stack = [...rules];
  while (stack.length > 0) {
    const rule = stack.pop()!;
    if (rule.include?.startsWith('#')) {
      const name = rule.include.slice(1);
      if (!reached.has(name) && grammar.repository?.[name]) {
        reached.add(name);
        stack.push(grammar.repository[name]);
      }
    }
    stack.push(...(rule.patterns ?? []));
    for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures]) stack.push(...Object.values(captures ?? {}));
  }
  return reached;
}

/** Rules that run inside a capture (re-tokenized mid-line by VS Code), includes followed. */
function captureRules(grammar: Grammar): GrammarRule[] {
  const inCaptures: GrammarRule[] = [];
  for (const rule of allRules(grammar)) {
    for (const captures of [rule.captures, rule.beginCaptures, rule.endCaptures] as (Captures | undefined)[]) {
      for (const capture of Object.values(captures ?? {})) inCaptures.push(...(capture.patterns ?? []));
    }
  }
  const result: GrammarRule[] = [...inCaptures];
  for (const name of reachableEntries(grammar, inCaptures)) result.push(grammar.repository![name]!);
  const expanded: GrammarRule[] = [];
  const stack = [...result];
  while (stack.length > 0) {
    const rule = stack.pop()!;
    expanded.push(rule);
    stack.push(...(rule.patterns ?? []));
  }
  return expanded;
}

/** True when the regex has a `^` anchor (outside character classes, unescaped). */
function hasLineStartAnchor(source: string): boolean {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (char === '^') return true;
  }
  return false;
}

/** The bodies of the look-behinds in a regex. */
function lookBehinds(source: string): string[] {
  const bodies: string[] = [];
  for (const match of source.matchAll(/\(\?<[=!]/g)) {
    let depth = 1;
    let inClass = false;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < source.length && depth > 0; i++) {
      const char = source[i];
      if (char === '\\') i++;
      else if (inClass) inClass = char !== ']';
      else if (char === '[') inClass = true;
      else if (char === '(') depth++;
      else if (char === ')') depth--;
    }
    bodies.push(source.slice(start, i - 1));
  }
  return bodies;
}

function tokenize(language: Language, lines: readonly string[]): Token[][] {
  return tokenizer.tokenizeDocument(`source.${language}`, lines);
}

/** Asserts every character of `text` (its nth occurrence in the line) carries `scope`. */
function assertScope(language: Language, line: string, text: string, scope: string, occurrence = 0, context: readonly string[] = []): void {
  const tokens = tokenize(language, [...context, line]).at(-1)!;
  let start = -1;
  for (let n = 0; n <= occurrence; n++) start = line.indexOf(text, start + 1);
  assert.ok(start >= 0, `${text} not in ${line}`);
  for (let i = start; i < start + text.length; i++) {
    const token = tokens.find((candidate) => candidate.startIndex <= i && i < candidate.startIndex + candidate.text.length)!;
    assert.ok(token.scopes.includes(scope), `${language}: '${text}' in '${line}' has ${token.scopes.join(' ')}, not ${scope}`);
  }
}

function invalidTokens(tokens: readonly Token[]): string[] {
  return tokens.filter((token) => token.scopes.some((scope) => scope.startsWith('invalid'))).map((token) => token.text);
}

test('grammars and language configurations are valid JSON with the right scope names', () => {
  for (const language of LANGUAGES) {
    const grammar = grammars[language];
    assert.equal(grammar.scopeName, `source.${language}`);
    assert.ok(grammar.name && grammar.patterns.length > 0, language);
    const configuration = readJson<{ comments: { lineComment: string } }>('syntaxes', `${language}.language-configuration.json`);
    assert.equal(configuration.comments.lineComment, '#', language);
  }
});

test('every include resolves inside its grammar (or is the shell grammar, for kickstart scripts)', () => {
  for (const language of LANGUAGES) {
    const grammar = grammars[language];
    const external = new Set<string>();
    for (const rule of allRules(grammar)) {
      if (rule.include === undefined) continue;
      if (rule.include.startsWith('#')) assert.ok(grammar.repository?.[rule.include.slice(1)], `${language}: ${rule.include}`);
      else if (rule.include !== '$self' && rule.include !== '$base') external.add(rule.include);
    }
    assert.deepEqual([...external], language === 'kickstart' ? ['source.shell'] : [], language);
  }
});

test('no repository entry is unused', () => {
  for (const language of LANGUAGES) {
    const grammar = grammars[language];
    const reached = reachableEntries(grammar, grammar.patterns);
    const unused = Object.keys(grammar.repository ?? {}).filter((name) => !reached.has(name));
    assert.deepEqual(unused, [], language);
  }
});

test('every regex compiles in JavaScript and uses nothing Oniguruma reads differently', () => {
  let count = 0;
  for (const language of LANGUAGES) {
    for (const rule of allRules(grammars[language])) {
      for (const source of regexesOf(rule)) {
        count++;
        assert.doesNotThrow(() => compileGrammarRegex(source), `${language}: ${source}`);
        // \G \A \z \Z \h \p{…} compile in JavaScript (without u) but mean something else there.
        assert.doesNotMatch(source.replace(/\\\\/g, ''), /\\[GAzZhH]|\\p\{/, `${language}: ${source}`);
        for (const body of lookBehinds(source)) {
          // Oniguruma only allows fixed-length look-behinds.
          assert.doesNotMatch(body.replace(/\\./g, 'x').replace(/\(\?[:=!]|\(\?<[=!]/g, '('), /[*+?]|\{\d*,/, `${language}: ${source}`);
        }
      }
    }
  }
  assert.ok(count > 40, `only ${count} regexes`);
});

test('rules used inside captures never anchor on ^ (VS Code re-tokenizes captures mid-line)', () => {
  for (const language of LANGUAGES) {
    const rules = captureRules(grammars[language]);
    assert.ok(rules.length > 0, language);
    for (const rule of rules) for (const source of regexesOf(rule)) assert.ok(!hasLineStartAnchor(source), `${language}: ${source}`);
  }
  assert.ok(hasLineStartAnchor('^a') && hasLineStartAnchor('a|^b') && !hasLineStartAnchor('[^a]\\^'), 'the anchor check itself');
});

test('sysusers.d lines get their scopes', () => {
  const cases: [string, string, string, number?][] = [
    ['# users of the app', '# users of the app', 'comment.line.number-sign.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', 'u', 'keyword.other.type.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', '!', 'keyword.operator.modifier.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', 'app', 'variable.other.name.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', '-', 'constant.language.null.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', '"App user"', 'string.quoted.double.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', '/var/lib/app', 'string.unquoted.path.sysusers'],
    ['u! app - "App user" /var/lib/app /usr/sbin/nologin', '/usr/sbin/nologin', 'string.unquoted.path.sysusers'],
    ['u sync 4:65534 - /bin /bin/sync', '4', 'constant.numeric.id.sysusers'],
    ['u sync 4:65534 - /bin /bin/sync', '65534', 'constant.numeric.group-id.sysusers'],
    ['u app /usr/bin/app', '/usr/bin/app', 'string.unquoted.path.sysusers'],
    ['g wheel 10', '10', 'constant.numeric.id.sysusers'],
    ['m app wheel', 'wheel', 'variable.other.name.sysusers'],
    ['r - 500-900', '500-900', 'constant.numeric.range.sysusers'],
    ['u svc-%H - "on %H" %h/svc', '%H', 'constant.other.placeholder.specifier.sysusers'],
    ['u svc-%H - "on %H" %h/svc', '%H', 'constant.other.placeholder.specifier.sysusers', 1],
    ['u svc-%H - "on %H" %h/svc', '%h', 'constant.other.placeholder.specifier.sysusers'],
    ['u svc - "say \\"hi\\"\\x41"', '\\x41', 'constant.character.escape.sysusers'],
    ['u svc - "say \\"hi\\"\\x41"', '\\"', 'constant.character.escape.sysusers'],
    ['u svc - unquoted', 'unquoted', 'string.unquoted.gecos.sysusers'],
    // Invalid: unknown type, bad name, bad id, relative path, extra field, unused fields, bad range.
    ['x app', 'x', 'invalid.illegal.type.sysusers'],
    ['u 9app', '9app', 'invalid.illegal.name.sysusers'],
    ['u app abc', 'abc', 'invalid.illegal.id.sysusers'],
    ['u app - "d" var/lib/app', 'var/lib/app', 'invalid.illegal.relative-path.sysusers'],
    ['u app - "d" /home/app bash', 'bash', 'invalid.illegal.relative-path.sysusers'],
    ['u app - "d" /home/app /bin/sh extra', 'extra', 'invalid.illegal.extra-field.sysusers'],
    ['g grp - "gecos"', '"gecos"', 'invalid.illegal.unused-field.sysusers'],
    ['m app grp 5', '5', 'invalid.illegal.unused-field.sysusers'],
    ['r app 500-900', 'app', 'invalid.illegal.name.sysusers'],
    ['r - 500-', '500-', 'invalid.illegal.range.sysusers'],
    ['u app - "d" %h/x%z', '%z', 'invalid.illegal.specifier.sysusers'],
  ];
  for (const [line, text, scope, occurrence] of cases) assertScope('sysusers', line, text, scope, occurrence);
  assert.deepEqual(invalidTokens(tokenize('sysusers', ['u polkitd - "polkit" /nonexistent', 'g systemd-journal - -']).flat()), []);
});

test('tmpfiles.d lines get their scopes', () => {
  const cases: [string, string, string, number?][] = [
    ['# state of the app', '# state of the app', 'comment.line.number-sign.tmpfiles'],
    ['d /var/lib/app 0755 root root 10d -', 'd', 'keyword.other.type.tmpfiles'],
    ['d /var/lib/app 0755 root root 10d -', '/var/lib/app', 'string.unquoted.path.tmpfiles'],
    ['d /var/lib/app 0755 root root 10d -', '0755', 'constant.numeric.mode.tmpfiles'],
    ['d /var/lib/app 0755 root root 10d -', 'root', 'variable.other.owner.tmpfiles', 1],
    ['d /var/lib/app 0755 root root 10d -', '10d', 'constant.numeric.age.tmpfiles'],
    ['d /var/lib/app 0755 root root 10d -', '-', 'constant.language.null.tmpfiles'],
    ['L+ /etc/mtab - - - - ../proc/self/mounts', 'L+', 'keyword.other.type.tmpfiles'],
    ['L+ /etc/mtab - - - - ../proc/self/mounts', '../proc/self/mounts', 'string.unquoted.argument.tmpfiles'],
    ['f~ /etc/issue 0644 - - - SGVsbG8=', 'f', 'keyword.other.type.tmpfiles'],
    ['f~ /etc/issue 0644 - - - SGVsbG8=', '~', 'keyword.operator.modifier.tmpfiles'],
    ['f!-=~^$ /etc/issue', '!-=~^$', 'keyword.operator.modifier.tmpfiles'],
    ['f+! /run/nologin 0644 - - - "Booting: come back later."', '"Booting: come back later."', 'string.quoted.double.tmpfiles'],
    ['d- /root :0700 root :root -', ':', 'keyword.operator.modifier.tmpfiles'],
    ['d- /root :0700 root :root -', '0700', 'constant.numeric.mode.tmpfiles'],
    ['Z /run/log/journal/%m ~2750 root systemd-journal - -', '%m', 'constant.other.placeholder.specifier.tmpfiles'],
    ['Z /run/log/journal/%m ~2750 root systemd-journal - -', '2750', 'constant.numeric.mode.tmpfiles'],
    ['e /var/cache/app - - - abcm:~1w2d', 'abcm:~', 'keyword.operator.modifier.tmpfiles'],
    ['e /var/cache/app - - - abcm:~1w2d', '1w2d', 'constant.numeric.age.tmpfiles'],
    ['d %t/app 0700 - - 1h30min', '%t/app', 'string.unquoted.path.tmpfiles'],
    ['d %t/app 0700 - - 1h30min', '1h30min', 'constant.numeric.age.tmpfiles'],
    ['d "/var/lib/with space" 0755', '"/var/lib/with space"', 'string.quoted.double.path.tmpfiles'],
    ['w /proc/sys/x - - - - a\\x20b', '\\x20', 'constant.character.escape.tmpfiles'],
    // Invalid: unknown type, + on a type without one, relative path, bad mode/owner/age, bad specifier.
    ['y /x', 'y', 'invalid.illegal.type.tmpfiles'],
    ['d+ /x', 'd+', 'invalid.illegal.type.tmpfiles'],
    ['d var/lib/x', 'var/lib/x', 'invalid.illegal.relative-path.tmpfiles'],
    ['d /x 0999', '0999', 'invalid.illegal.mode.tmpfiles'],
    ['d /x 75', '75', 'invalid.illegal.mode.tmpfiles'],
    ['d /x 0755 ro:ot', 'ro:ot', 'invalid.illegal.owner.tmpfiles'],
    ['d /x 0755 root root 10x', '10x', 'invalid.illegal.age.tmpfiles'],
    ['d /x%z', '%z', 'invalid.illegal.specifier.tmpfiles'],
  ];
  for (const [line, text, scope, occurrence] of cases) assertScope('tmpfiles', line, text, scope, occurrence);
  // The argument is the rest of the line: spaces and a stray % are fine there.
  assert.deepEqual(invalidTokens(tokenize('tmpfiles', ['w /etc/motd - - - - 100% up and running']).flat()), []);
});

test('kickstart: commands, options, sections with embedded shell, packages, directives', () => {
  const document = [
    '# kickstart for a bootc image',
    'text',
    'bootc --source-imgref=registry:quay.io/fedora/fedora-bootc:43',
    'ostreecontainer --url=quay.io/centos-bootc/centos-bootc:stream10 --no-signature-verification',
    'rootpw --iscrypted "$6$salt$hash"   # root password',
    '%include /tmp/part-include',
    '%ksappend http://example.com/extra.ks',
    '%pre --interpreter=/bin/bash --log=/tmp/pre.log',
    'echo %end is not the end here',
    '%end',
    '%packages --ignoremissing',
    '@^server-product-environment',
    '@core --optional',
    '-firewalld',
    'vim-enhanced',
    '%end',
    '%addon com_redhat_kdump --enable',
    '%end',
    '%anaconda',
    'pwpolicy root --minlen=6',
    '%end',
    '%post --erroronfail',
    'systemctl enable podman.socket',
    '%end',
    'frobnicate --now',
    '%bogus',
    '%end',
  ];
  const tokens = tokenize('kickstart', document);
  const scopesOf = (lineIndex: number, text: string, occurrence = 0): readonly string[] => {
    const line = document[lineIndex]!;
    let start = -1;
    for (let n = 0; n <= occurrence; n++) start = line.indexOf(text, start + 1);
    assert.ok(start >= 0, `${text} not in ${line}`);
    const token = tokens[lineIndex]!.find((candidate) => candidate.startIndex <= start && start < candidate.startIndex + candidate.text.length)!;
    assert.ok(token.startIndex + token.text.length >= start + text.length, `'${text}' is split: ${token.text}`);
    return token.scopes;
  };
  const expect = (lineIndex: number, text: string, scope: string, occurrence = 0): void =>
    assert.ok(scopesOf(lineIndex, text, occurrence).includes(scope), `'${text}' in '${document[lineIndex]}': ${scopesOf(lineIndex, text, occurrence).join(' ')}, not ${scope}`);

  expect(0, '#', 'punctuation.definition.comment.kickstart');
  expect(0, ' kickstart for a bootc image', 'comment.line.number-sign.kickstart');
  expect(1, 'text', 'keyword.other.command.kickstart');
  expect(2, 'bootc', 'keyword.other.command.kickstart');
  expect(2, '--source-imgref', 'variable.parameter.option.kickstart');
  expect(2, '=', 'keyword.operator.assignment.kickstart');
  expect(2, 'registry:quay.io/fedora/fedora-bootc:43', 'string.unquoted.option-value.kickstart');
  expect(3, 'ostreecontainer', 'keyword.other.command.kickstart');
  expect(3, '--no-signature-verification', 'variable.parameter.option.kickstart');
  expect(4, '"$6$salt$hash"', 'string.quoted.double.kickstart');
  expect(4, ' root password', 'comment.line.number-sign.kickstart');
  expect(5, '%include', 'keyword.control.directive.kickstart');
  expect(5, '/tmp/part-include', 'string.unquoted.path.kickstart');
  expect(6, '%ksappend', 'keyword.control.directive.kickstart');
  expect(7, '%pre', 'keyword.control.section.kickstart');
  expect(7, '--interpreter', 'variable.parameter.option.kickstart');
  expect(7, '/bin/bash', 'string.unquoted.option-value.kickstart');
  expect(8, 'echo', 'support.function.builtin.shell');
  expect(8, 'echo', 'meta.embedded.block.shell');
  expect(8, '%end is not', 'meta.embedded.block.shell');
  expect(9, '%end', 'keyword.control.section.end.kickstart');
  assert.ok(!scopesOf(9, '%end').includes('meta.embedded.block.shell'), '%end is not shell');
  expect(10, '%packages', 'keyword.control.section.kickstart');
  expect(10, '--ignoremissing', 'variable.parameter.option.kickstart');
  expect(11, '@^', 'punctuation.definition.environment.kickstart');
  expect(11, 'server-product-environment', 'entity.name.type.environment.kickstart');
  expect(12, 'core', 'entity.name.type.group.kickstart');
  expect(12, '--optional', 'variable.parameter.option.kickstart');
  expect(13, '-', 'keyword.operator.exclude.kickstart');
  expect(13, 'firewalld', 'entity.name.package.kickstart');
  expect(14, 'vim-enhanced', 'entity.name.package.kickstart');
  expect(14, 'vim-enhanced', 'meta.section.packages.kickstart');
  expect(16, 'com_redhat_kdump', 'entity.name.section.addon.kickstart');
  expect(16, '--enable', 'variable.parameter.option.kickstart');
  expect(19, 'pwpolicy', 'keyword.other.command.kickstart');
  expect(19, '--minlen', 'variable.parameter.option.kickstart');
  expect(22, 'systemctl', 'support.function.builtin.shell');
  expect(24, 'frobnicate', 'invalid.illegal.command.kickstart');
  expect(25, '%bogus', 'invalid.illegal.section.kickstart');
  expect(26, '%end', 'invalid.illegal.stray-end.kickstart');
  assert.ok(!scopesOf(1, 'text').some((scope) => scope.startsWith('meta.section')), 'sections closed by %end');
  assert.ok(!scopesOf(24, 'frobnicate').some((scope) => scope.startsWith('meta.section')), 'sections closed by %end');
});

test('kickstart knows pykickstart\'s commands, bootc and ostreecontainer included', () => {
  const commands = ['autopart', 'bootc', 'bootloader', 'clearpart', 'firewall', 'keyboard', 'lang', 'network', 'ostreecontainer',
    'ostreesetup', 'part', 'partition', 'rdp', 'reboot', 'reqpart', 'rhsm', 'rootpw', 'services', 'sshkey', 'syspurpose',
    'timesource', 'timezone', 'user', 'zerombr', 'zipl'];
  for (const command of commands) assertScope('kickstart', `${command} --x=1`, command, 'keyword.other.command.kickstart');
  // A command name inside a longer word is not a command.
  assertScope('kickstart', 'partitions', 'partitions', 'invalid.illegal.command.kickstart');
});

test('kickstart folding markers start at every section and stop at %end', () => {
  const configuration = readJson<{ folding: { markers: { start: string; end: string } } }>('syntaxes', 'kickstart.language-configuration.json');
  const start = new RegExp(configuration.folding.markers.start);
  const end = new RegExp(configuration.folding.markers.end);
  for (const line of ['%pre', '%pre-install --log=/x', '%post --nochroot', '%onerror', '%traceback', '%packages --nocore', '%addon x', '%anaconda', '  %post']) {
    assert.match(line, start);
  }
  for (const line of ['%include /x', '%end', '%prelude', 'echo %post']) assert.doesNotMatch(line, start);
  assert.match('%end', end);
  assert.doesNotMatch('%endless', end);
});

test('sysusers.d and tmpfiles.d files (fixtures, templates and this machine\'s) have no invalid token', () => {
  let files = 0;
  const folders = (language: string) => [
    join(root, 'test', 'companion', 'fixtures', `${language}.d`),
    ...(existsSync(join(root, 'templates')) ? readdirSync(join(root, 'templates')).map((template) => join(root, 'templates', template, `${language}.d`)) : []),
    `/usr/lib/${language}.d`,
  ];
  for (const language of ['sysusers', 'tmpfiles'] as const) {
    for (const folder of folders(language)) {
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).filter((file) => file.endsWith('.conf'))) {
        const lines = readFileSync(join(folder, name), 'utf8').split('\n');
        const tokens = tokenize(language, lines);
        files++;
        lines.forEach((line, index) => {
          assert.deepEqual(invalidTokens(tokens[index]!), [], `${folder}/${name}:${index + 1}: ${line}`);
          if (/^\s*[^\s#]/.test(line)) {
            assert.ok(tokens[index]!.some((token) => token.scopes.includes(`keyword.other.type.${language}`)), `${folder}/${name}:${index + 1}: no type`);
          }
        });
      }
    }
  }
  assert.ok(files >= 2, `only ${files} files`);
});

test('package.json contributes the languages, grammars and snippets, keeping dockerfile', () => {
  const contributes = readJson<{
    contributes: {
      languages: { id: string; configuration?: string; filenamePatterns?: string[]; extensions?: string[]; filenames?: string[] }[];
      grammars: { language: string; scopeName: string; path: string; embeddedLanguages?: Record<string, string> }[];
      snippets: { language: string; path: string }[];
    };
  }>('package.json').contributes;
  assert.deepEqual(contributes.languages.map((language) => language.id), ['dockerfile', 'sysusers', 'tmpfiles', 'kickstart']);
  const byId = new Map(contributes.languages.map((language) => [language.id, language]));
  assert.deepEqual(byId.get('dockerfile')!.filenamePatterns, ['Containerfile.*', '*.containerfile']);
  assert.deepEqual(byId.get('sysusers')!.filenamePatterns, ['**/sysusers.d/*.conf']);
  assert.deepEqual(byId.get('tmpfiles')!.filenamePatterns, ['**/tmpfiles.d/*.conf', '**/user-tmpfiles.d/*.conf']);
  assert.deepEqual(byId.get('kickstart')!.extensions, ['.ks']);
  assert.deepEqual(byId.get('kickstart')!.filenames, ['ks.cfg', 'anaconda-ks.cfg']);
  for (const language of LANGUAGES) assert.ok(existsSync(join(root, byId.get(language)!.configuration!)), language);
  assert.equal(contributes.grammars.length, 3);
  for (const grammar of contributes.grammars) {
    assert.equal(readJson<Grammar>(grammar.path).scopeName, grammar.scopeName);
    assert.equal(grammar.scopeName, `source.${grammar.language}`);
  }
  assert.deepEqual(contributes.grammars.find((grammar) => grammar.language === 'kickstart')!.embeddedLanguages, {
    'meta.embedded.block.shell': 'shellscript',
  });
  assert.deepEqual(contributes.snippets, [{ language: 'dockerfile', path: './snippets/containerfile.code-snippets' }]);
  assert.ok(existsSync(join(root, contributes.snippets[0]!.path)));
});
