import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Linter } from '../server/src/lint/lint';
import { rules } from '../server/src/lint/rules';
import type { JsonFinding } from '../server/src/cli';
import { cliCommand, removeTree, runCli, tempTree } from './helpers/cli';

/** The command-line linter, run as a real process on temporary folders. */

const BOOTC_ENTRYPOINT = 'FROM quay.io/fedora/fedora-bootc:42\nRUN dnf -y install httpd && dnf clean all\nENTRYPOINT ["/usr/sbin/httpd"]\n';
const ENTRYPOINT_LINE = 3;
const PLAIN_APP = `# An ordinary application image
FROM node:20-alpine
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
RUN npm ci && mkdir -p /var/lib/app /tmp/cache && useradd app
USER node
EXPOSE 3000
VOLUME /data
HEALTHCHECK CMD wget -qO- http://localhost:3000/health
ENTRYPOINT ["node", "server.js"]
CMD ["--port", "3000"]
`;
const SEVERITIES = ['error', 'warning', 'info', 'hint'];

const dirs: string[] = [];
function tree(files: Record<string, string | Uint8Array>): string {
  const dir = tempTree(files);
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach(removeTree));

function parseJson(stdout: string): JsonFinding[] {
  const parsed = JSON.parse(stdout) as JsonFinding[];
  assert.ok(Array.isArray(parsed), 'json output is an array');
  for (const f of parsed) {
    assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'fixable', 'line', 'message', 'rule', 'severity']);
    assert.ok(f.line >= 1 && f.column >= 1 && f.endLine >= f.line, `1-based positions: ${JSON.stringify(f)}`);
    assert.ok(SEVERITIES.includes(f.severity));
    assert.equal(typeof f.fixable, 'boolean');
  }
  return parsed;
}

const ruleIds = (findings: JsonFinding[]) => findings.map((f) => f.rule);

describe('bootc-lint command line', { concurrency: 4 }, () => {
  it(`runs (${cliCommand().kind})`, async () => {
    const { code, stdout } = await runCli(['--version']);
    assert.equal(code, 0);
    assert.match(stdout, /^bootc-lint \d+\.\d+\.\d+/);
  });

  it('--help lists the options and every registered rule', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const option of ['--format', '--fix', '--rule', '--config', '--mode']) assert.ok(stdout.includes(option), option);
    for (const rule of rules) assert.ok(stdout.includes(rule.meta.id), rule.meta.id);
  });

  it('usage errors exit 2 with one message on stderr', async () => {
    const dir = tree({ Containerfile: BOOTC_ENTRYPOINT });
    for (const args of [
      [],
      ['--frobnicate', 'Containerfile'],
      ['--format', 'xml', 'Containerfile'],
      ['--format'],
      ['--rule', 'no-such-rule=error', 'Containerfile'],
      ['--rule', 'ignored-entrypoint=fatal', 'Containerfile'],
      ['--rule', 'ignored-entrypoint', 'Containerfile'],
      ['--mode', 'sometimes', 'Containerfile'],
      ['--fix=yes', 'Containerfile'],
    ]) {
      const { code, stdout, stderr } = await runCli(args, { cwd: dir });
      assert.equal(code, 2, `exit code for ${args.join(' ')}`);
      assert.equal(stdout, '', `nothing on stdout for ${args.join(' ')}`);
      assert.match(stderr, /^bootc-lint: /, `message for ${args.join(' ')}`);
    }
    const { stderr } = await runCli(['--rule', 'no-such-rule=error', 'Containerfile'], { cwd: dir });
    assert.match(stderr, /unknown rule id "no-such-rule"/);
  });

  it('text format: file:line:column: severity rule message on stdout, summary on stderr', async () => {
    const dir = tree({ Containerfile: BOOTC_ENTRYPOINT });
    const { code, stdout, stderr } = await runCli(['Containerfile'], { cwd: dir });
    assert.equal(code, 0, 'warnings only: exit 0');
    const line = stdout.split('\n').find((l) => l.includes('ignored-entrypoint'));
    assert.ok(line, stdout);
    assert.match(line, new RegExp(`^Containerfile:${ENTRYPOINT_LINE}:1: warning ignored-entrypoint \\S.{20,}$`));
    for (const l of stdout.trimEnd().split('\n')) assert.match(l, /^Containerfile:\d+:\d+: (error|warning|info|hint) [a-z0-9-]+ \S/);
    assert.match(stderr, /problems? \(.*\) in 1 file/);
  });

  it('json format: one array of findings with 1-based ranges', async () => {
    const dir = tree({ 'sub/Containerfile': BOOTC_ENTRYPOINT });
    const { code, stdout } = await runCli(['--format', 'json', 'sub/Containerfile'], { cwd: dir });
    assert.equal(code, 0);
    const entry = parseJson(stdout).find((f) => f.rule === 'ignored-entrypoint');
    assert.deepEqual(entry && { ...entry, message: undefined }, {
      file: 'sub/Containerfile',
      line: ENTRYPOINT_LINE,
      column: 1,
      endLine: ENTRYPOINT_LINE,
      endColumn: 'ENTRYPOINT ["/usr/sbin/httpd"]'.length + 1,
      rule: 'ignored-entrypoint',
      severity: 'warning',
      message: undefined,
      fixable: true,
    });
    assert.ok(entry!.message.length > 20);
  });

  it('sarif format: SARIF 2.1.0 with rules and results', async () => {
    const dir = tree({ 'deploy/Containerfile': BOOTC_ENTRYPOINT });
    const { code, stdout } = await runCli(['--format=sarif', '--rule', 'ignored-entrypoint=info', 'deploy'], { cwd: dir });
    assert.equal(code, 0);
    const sarif = JSON.parse(stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif/);
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.equal(run.tool.driver.name, 'bootc-lint');
    assert.equal(run.tool.driver.rules.length, rules.length);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.id && rule.shortDescription.text && rule.fullDescription.text, JSON.stringify(rule));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      assert.ok(rule.helpUri.endsWith(`/docs/rules/${rule.id}.md`), rule.helpUri);
    }
    const entrypointRule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'ignored-entrypoint');
    assert.ok(fs.existsSync(fileURLToPath(entrypointRule.helpUri)), 'helpUri points at the doc page');
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'ignored-entrypoint');
    assert.ok(result, JSON.stringify(run.results));
    assert.equal(result.level, 'note', 'info maps to note');
    assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'ignored-entrypoint');
    assert.ok(result.message.text.length > 20);
    assert.deepEqual(result.locations[0].physicalLocation, {
      artifactLocation: { uri: 'deploy/Containerfile' },
      region: { startLine: ENTRYPOINT_LINE, startColumn: 1, endLine: ENTRYPOINT_LINE, endColumn: 31 },
    });
    for (const r of run.results) assert.ok(['error', 'warning', 'note'].includes(r.level));
  });

  it('exit 1 when a finding has severity error; --rule off silences a rule', async () => {
    const dir = tree({ Containerfile: BOOTC_ENTRYPOINT });
    const asError = await runCli(['--format', 'json', '--rule', 'ignored-entrypoint=error', 'Containerfile'], { cwd: dir });
    assert.equal(asError.code, 1);
    assert.equal(parseJson(asError.stdout).find((f) => f.rule === 'ignored-entrypoint')?.severity, 'error');
    const off = await runCli(['--format', 'json', '--rule=ignored-entrypoint=off', 'Containerfile'], { cwd: dir });
    assert.ok(!ruleIds(parseJson(off.stdout)).includes('ignored-entrypoint'));
    const hint = await runCli(['--format', 'json', '--rule', 'ignored-entrypoint=error', '--rule', 'ignored-entrypoint=hint', 'Containerfile'], { cwd: dir });
    assert.equal(parseJson(hint.stdout).find((f) => f.rule === 'ignored-entrypoint')?.severity, 'hint', 'the last --rule wins');
  });

  it('a missing file and a good file: both handled, exit 2, the good file is still linted', async () => {
    const dir = tree({ Containerfile: BOOTC_ENTRYPOINT });
    const { code, stdout, stderr } = await runCli(['--format', 'json', '--rule', 'ignored-entrypoint=error', 'missing/Containerfile', 'Containerfile'], { cwd: dir });
    assert.equal(code, 2, 'an input that could not be linted wins over findings');
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /missing\/Containerfile/);
    assert.ok(ruleIds(parseJson(stdout)).includes('ignored-entrypoint'));
  });

  it('a binary file is reported and skipped, the others are linted', async () => {
    const binary = Buffer.concat([Buffer.from('FROM quay.io/fedora/fedora-bootc:42\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0]), Buffer.from('\nENTRYPOINT x\n')]);
    const dir = tree({ 'a/Containerfile': binary, 'b/Containerfile': BOOTC_ENTRYPOINT });
    const { code, stdout, stderr } = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.equal(code, 2);
    assert.match(stderr, /a\/Containerfile: binary/);
    const files = new Set(parseJson(stdout).map((f) => f.file));
    assert.deepEqual([...files], ['b/Containerfile']);
  });

  it('searches directories recursively for Containerfile names, skipping .git and node_modules', async () => {
    const files = ['Containerfile', 'Dockerfile', 'sub/Containerfile.prod', 'sub/deep/Dockerfile.bootc', 'images/os.containerfile', 'images/web.dockerfile'];
    const ignored = ['node_modules/pkg/Containerfile', '.git/Containerfile', 'sub/.git/x/Dockerfile', 'README.md', 'Containerfile.dockerignore', 'build.sh', 'notes/Containerfiles.txt'];
    const dir = tree(Object.fromEntries([...files, ...ignored].map((f) => [f, BOOTC_ENTRYPOINT])));
    const { code, stdout } = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.equal(code, 0);
    const found = new Set(parseJson(stdout).filter((f) => f.rule === 'ignored-entrypoint').map((f) => f.file));
    assert.deepEqual([...found].sort(), [...files].sort());
    // Given by their own name, files are linted whatever they are called.
    const explicit = await runCli(['--format', 'json', 'build.sh'], { cwd: dir });
    assert.deepEqual(new Set(parseJson(explicit.stdout).map((f) => f.file)), new Set(['build.sh']));
  });

  it('--fix rewrites the file in place and reports what is left', async () => {
    const text = `FROM quay.io/fedora/fedora-bootc:42
RUN dnf -y install httpd
RUN useradd -m builder && mkdir -p /var/lib/app && echo data > /var/lib/app/seed
COPY app.conf /etc/app.conf
EXPOSE 80
ENTRYPOINT ["/usr/sbin/httpd"]
CMD ["-DFOREGROUND"]
`;
    const dir = tree({ Containerfile: text, 'app.conf': 'x=1\n' });
    const { code, stdout, stderr } = await runCli(['--fix', '--format', 'json', 'Containerfile'], { cwd: dir });
    assert.ok(code === 0 || code === 1, stderr);
    const fixedText = fs.readFileSync(path.join(dir, 'Containerfile'), 'utf8');
    assert.ok(!fixedText.includes('ENTRYPOINT'), `the ENTRYPOINT was removed:\n${fixedText}`);
    const remaining = parseJson(stdout);
    assert.ok(!remaining.some((f) => f.rule === 'ignored-entrypoint'));

    // The same as the core's fix-all, and the same as linting the fixed file again.
    const expected = (await Linter.create()).fixAll(text, { readContextFile: (p) => (p === 'app.conf' ? 'x=1\n' : undefined) });
    assert.equal(fixedText, expected.text);
    assert.deepEqual(remaining.map((f) => `${f.line}:${f.column} ${f.rule}`), expected.result.findings.map((f) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId}`));
    const again = await runCli(['--format', 'json', 'Containerfile'], { cwd: dir });
    assert.deepEqual(parseJson(again.stdout), remaining);
  });

  it('--fix keeps a byte order mark and \\r\\n line ends, and leaves files without fixes untouched', async () => {
    const crlf = 'FROM quay.io/fedora/fedora-bootc:42\r\nRUN dnf -y install httpd\r\nENTRYPOINT ["/usr/sbin/httpd"]\r\n';
    const dir = tree({ 'a/Containerfile': `\uFEFF${BOOTC_ENTRYPOINT}`, 'b/Containerfile': PLAIN_APP, 'c/Containerfile': crlf });
    const before = fs.statSync(path.join(dir, 'b/Containerfile')).mtimeMs;
    const { stderr } = await runCli(['--fix', '.'], { cwd: dir });
    const fixed = fs.readFileSync(path.join(dir, 'a/Containerfile'), 'utf8');
    assert.ok(fixed.startsWith('\uFEFFFROM '), 'BOM kept');
    assert.ok(!fixed.includes('ENTRYPOINT'));
    assert.equal(fs.readFileSync(path.join(dir, 'b/Containerfile'), 'utf8'), PLAIN_APP);
    assert.equal(fs.statSync(path.join(dir, 'b/Containerfile')).mtimeMs, before);
    const fixedCrlf = fs.readFileSync(path.join(dir, 'c/Containerfile'), 'utf8');
    assert.notEqual(fixedCrlf, crlf);
    assert.ok(!/(^|[^\r])\n/.test(fixedCrlf), `\\r\\n line ends kept: ${JSON.stringify(fixedCrlf)}`);
    assert.match(stderr, /fixed \d+ problems? in 2 files/);
  });

  it('--mode never silences a bootc file; --mode always lints any file', async () => {
    const dir = tree({ Containerfile: BOOTC_ENTRYPOINT, 'app/Dockerfile': PLAIN_APP });
    const never = await runCli(['--format', 'json', '--mode', 'never', 'Containerfile'], { cwd: dir });
    assert.equal(never.code, 0);
    assert.deepEqual(parseJson(never.stdout), []);
    const auto = await runCli(['--format', 'json', 'app/Dockerfile'], { cwd: dir });
    assert.deepEqual(parseJson(auto.stdout), []);
    const always = await runCli(['--format', 'json', '--mode=always', 'app/Dockerfile'], { cwd: dir });
    assert.ok(ruleIds(parseJson(always.stdout)).includes('ignored-entrypoint'));
  });

  it('a plain application Dockerfile has no findings', async () => {
    const dir = tree({ Dockerfile: PLAIN_APP });
    const { code, stdout, stderr } = await runCli(['Dockerfile'], { cwd: dir });
    assert.equal(code, 0);
    assert.equal(stdout, '');
    assert.match(stderr, /not linted with bootc rules/, 'a note says why, for a file named explicitly');
    const json = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.deepEqual(parseJson(json.stdout), []);
    assert.equal(json.stderr, '');
    const sarif = JSON.parse((await runCli(['--format', 'sarif', '.'], { cwd: dir })).stdout);
    assert.deepEqual(sarif.runs[0].results, []);
  });

  it('finds .bootc-lint.json above each file; --config and the command line take precedence', async () => {
    const dir = tree({
      '.bootc-lint.json': JSON.stringify({ rules: { 'ignored-entrypoint': 'error' } }),
      'os/images/Containerfile': BOOTC_ENTRYPOINT,
      'other/.bootc-lint.json': JSON.stringify({ mode: 'never' }),
      'other/Containerfile': BOOTC_ENTRYPOINT,
      'ci.json': JSON.stringify({ rules: { 'ignored-entrypoint': 'hint' } }),
    });
    const severity = (stdout: string, file: string) => parseJson(stdout).find((f) => f.rule === 'ignored-entrypoint' && f.file === file)?.severity;

    const discovered = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.equal(discovered.code, 1);
    assert.equal(severity(discovered.stdout, 'os/images/Containerfile'), 'error');
    assert.equal(severity(discovered.stdout, 'other/Containerfile'), undefined, 'the nearest config (mode never) applies');

    const explicit = await runCli(['--format', 'json', '--config', 'ci.json', 'os'], { cwd: dir });
    assert.equal(explicit.code, 0);
    assert.equal(severity(explicit.stdout, 'os/images/Containerfile'), 'hint', '--config beats the discovered file');

    const commandLine = await runCli(['--format', 'json', '--config', 'ci.json', '--rule', 'ignored-entrypoint=info', '--mode', 'auto', '.'], { cwd: dir });
    assert.equal(severity(commandLine.stdout, 'os/images/Containerfile'), 'info', '--rule beats --config');
    assert.equal(severity(commandLine.stdout, 'other/Containerfile'), 'info', '--mode beats the discovered mode');

    const noConfig = await runCli(['--format', 'json', '--no-config', '.'], { cwd: dir });
    assert.equal(severity(noConfig.stdout, 'os/images/Containerfile'), 'warning');
  });

  it('bootcImages in the config makes derived images bootc builds', async () => {
    const derived = 'FROM corp.example.com/soe/base:9.4\nENTRYPOINT ["/app"]\n';
    const dir = tree({ 'with/Containerfile': derived, 'with/.bootc-lint.json': '{"bootcImages": ["corp.example.com/soe/*"]}', 'without/Containerfile': derived });
    const { stdout } = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.deepEqual([...new Set(parseJson(stdout).map((f) => f.file))], ['with/Containerfile']);
  });

  it('an invalid config is a usage error naming the file and the key', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"rules": {"no-such-rule": "error"}}', /\.bootc-lint\.json: "rules\.no-such-rule": unknown rule id/],
      ['{"rules": {"ignored-entrypoint": "loud"}}', /\.bootc-lint\.json: "rules\.ignored-entrypoint": severity must be/],
      ['{"mode": "sometimes"}', /\.bootc-lint\.json: "mode": must be one of/],
      ['{"bootcImages": "corp/*"}', /\.bootc-lint\.json: "bootcImages": must be an array/],
      ['{"rule": {}}', /\.bootc-lint\.json: "rule": unknown key/],
      ['{"rules": {', /\.bootc-lint\.json: invalid JSON/],
    ];
    for (const [config, message] of cases) {
      const dir = tree({ '.bootc-lint.json': config, 'sub/Containerfile': BOOTC_ENTRYPOINT });
      const { code, stdout, stderr } = await runCli(['--format', 'json', 'sub'], { cwd: dir });
      assert.equal(code, 2, config);
      assert.equal(stdout, '', config);
      assert.match(stderr, message, config);
    }
    const dir = tree({ 'bad.json': '{"mode": 3}', Containerfile: BOOTC_ENTRYPOINT });
    const explicit = await runCli(['--config', 'bad.json', 'Containerfile'], { cwd: dir });
    assert.equal(explicit.code, 2);
    assert.match(explicit.stderr, /bad\.json: "mode"/);
    const missing = await runCli(['--config', 'nope.json', 'Containerfile'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: cannot read/);
  });

  it('rules read build-context files beside the Containerfile, or under --context', async () => {
    const containerfile = 'FROM quay.io/fedora/fedora-bootc:42\nCOPY 10-console.toml /usr/lib/bootc/kargs.d/\nCOPY /20-quiet.toml /usr/lib/bootc/kargs.d/\nRUN bootc container lint\n';
    const dir = tree({
      'os/Containerfile': containerfile,
      'os/10-console.toml': 'kargs = "console=ttyS0"\n', // not an array: bootc cannot read it
      'os/20-quiet.toml': 'kargs = ["quiet"]\n',
      'ctx/10-console.toml': 'kargs = ["console=ttyS0"]\n',
      'ctx/20-quiet.toml': 'kargs = "quiet"\n',
    });
    const beside = await runCli(['--format', 'json', 'os'], { cwd: dir });
    assert.equal(beside.code, 1);
    assert.deepEqual(parseJson(beside.stdout).filter((f) => f.rule === 'kargs-toml').map((f) => f.line), [2]);
    const context = await runCli(['--format', 'json', '--context', 'ctx', 'os'], { cwd: dir });
    assert.deepEqual(parseJson(context.stdout).filter((f) => f.rule === 'kargs-toml').map((f) => f.line), [3], 'a leading / is relative to the context');
  });

  it('prints large outputs completely through a pipe', async () => {
    const count = 3000;
    const stages = Array.from({ length: count }, (_, i) => `ENTRYPOINT ["/usr/bin/app-${i}"]`).join('\n');
    const dir = tree({ Containerfile: `FROM quay.io/fedora/fedora-bootc:42\n${stages}\n` });
    const { code, stdout } = await runCli(['--format', 'json', '--rule', 'ignored-entrypoint=error', 'Containerfile'], { cwd: dir });
    assert.equal(code, 1);
    assert.equal(parseJson(stdout).filter((f) => f.rule === 'ignored-entrypoint').length, count);
    const sarif = await runCli(['--format', 'sarif', 'Containerfile'], { cwd: dir });
    assert.equal(JSON.parse(sarif.stdout).runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'ignored-entrypoint').length, count);
  });

  it('SARIF locations outside the working directory are absolute file URIs', async () => {
    const dir = tree({ 'a b/Containerfile': BOOTC_ENTRYPOINT, 'cwd/.keep': '' });
    const { stdout } = await runCli(['--format', 'sarif', path.join(dir, 'a b')], { cwd: path.join(dir, 'cwd') });
    const uri = JSON.parse(stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri as string;
    assert.ok(uri.startsWith('file:///'), uri);
    assert.equal(fileURLToPath(uri), fs.realpathSync(path.join(dir, 'a b', 'Containerfile')).replace(fs.realpathSync(dir), dir));
    const inside = await runCli(['--format', 'sarif', 'a b'], { cwd: dir });
    assert.equal(JSON.parse(inside.stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'a%20b/Containerfile');
  });
});
