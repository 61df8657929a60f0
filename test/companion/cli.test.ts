// bootc-lint and companion files: found in folders and by name, reported and fixed like the
// Containerfile rules, with severities from --rule and .bootc-lint.json.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { JsonFinding } from '../../server/src/cli';
import { removeTree, runCli, tempTree } from '../helpers/cli';

const CONTAINERFILE = 'FROM quay.io/fedora/fedora-bootc:44\nCOPY files/ /\nRUN bootc container lint\n';
const BIB_CONFIG = '[[customizations.user]]\nname = "admin"\nkey = "ssh-ed25519 AAAA admin@example.com"\n\n[customizations.kernal]\nappend = "console=ttyS0"\n';
const PROJECT = {
  Containerfile: CONTAINERFILE,
  'config.toml': BIB_CONFIG,
  'files/usr/lib/sysusers.d/app.conf': 'U app - "App" /var/lib/app\n',
  'files/usr/lib/tmpfiles.d/app.conf': 'd /var/run/app 0755 app app -\n',
  'files/usr/lib/bootc/kargs.d/10-console.toml': 'kargs = ["console=ttyS0"]\nmatch-architectures = ["amd64"]\n',
  // Other tools' files with the same names are not bootc-image-builder configs.
  '.cargo/config.toml': '[build]\ntarget = "x86_64-unknown-linux-gnu"\n',
  'web/config.json': '{"compilerOptions": {"strict": true}}\n',
};

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = tempTree(files);
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach(removeTree));

const summary = (findings: JsonFinding[]) => findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`).sort();

describe('bootc-lint with companion files', { concurrency: 4 }, () => {
  it('a folder: companion files are found and checked, other tools\' config files are skipped', async () => {
    const dir = tree(PROJECT);
    const { code, stdout, stderr } = await runCli(['--format', 'json', '.'], { cwd: dir });
    assert.equal(code, 1, stderr);
    assert.deepEqual(summary(JSON.parse(stdout) as JsonFinding[]), [
      'config.toml:5:17 bib-config-unknown-key',
      'files/usr/lib/bootc/kargs.d/10-console.toml:2:24 kargs-toml',
      'files/usr/lib/sysusers.d/app.conf:1:1 sysusers-invalid-line',
      'files/usr/lib/tmpfiles.d/app.conf:1:3 tmpfiles-invalid-path',
    ]);
  });

  it('a companion file named on the command line is checked, with a fixable flag', async () => {
    const dir = tree(PROJECT);
    const { stdout } = await runCli(['--format', 'json', 'config.toml'], { cwd: dir });
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.fixable]), [['bib-config-unknown-key', 'error', true]]);
    assert.match(findings[0].message, /kernal/);
  });

  it('--fix fixes companion files in place and reports what is left', async () => {
    const dir = tree(PROJECT);
    const { code, stdout, stderr } = await runCli(['--fix', '.'], { cwd: dir });
    assert.equal(code, 0, `${stdout}\n${stderr}`);
    assert.equal(stdout, '');
    assert.match(stderr, /fixed 4 problems in 4 files/);
    assert.match(fs.readFileSync(path.join(dir, 'config.toml'), 'utf8'), /^\[customizations\.kernel\]$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'files/usr/lib/tmpfiles.d/app.conf'), 'utf8'), 'd /run/app 0755 app app -\n');
    assert.equal(fs.readFileSync(path.join(dir, 'files/usr/lib/sysusers.d/app.conf'), 'utf8'), 'u app - "App" /var/lib/app\n');
    assert.match(fs.readFileSync(path.join(dir, 'files/usr/lib/bootc/kargs.d/10-console.toml'), 'utf8'), /\["x86_64"\]/);
    assert.equal(fs.readFileSync(path.join(dir, '.cargo/config.toml'), 'utf8'), PROJECT['.cargo/config.toml'], 'untouched');
  });

  it('check severities: --rule and .bootc-lint.json accept companion check ids', async () => {
    const dir = tree({ ...PROJECT, '.bootc-lint.json': JSON.stringify({ rules: { 'sysusers-invalid-line': 'off' } }) });
    const { code, stdout, stderr } = await runCli(['--format', 'json', '--rule', 'bib-config-unknown-key=warning', '.'], { cwd: dir });
    assert.equal(code, 1, stderr);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.equal(findings.find((f) => f.rule === 'bib-config-unknown-key')?.severity, 'warning');
    assert.ok(!findings.some((f) => f.rule === 'sysusers-invalid-line'));
    const help = await runCli(['--help']);
    for (const id of ['bib-config-unknown-key', 'sysusers-invalid-line', 'tmpfiles-invalid-path']) assert.ok(help.stdout.includes(id), id);
  });

  it('--mode never reports nothing for companion files either', async () => {
    const dir = tree(PROJECT);
    const { code, stdout } = await runCli(['--format', 'json', '--mode', 'never', '.'], { cwd: dir });
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), []);
  });
});
