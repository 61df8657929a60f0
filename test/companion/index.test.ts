import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPANION_RULES, companionDocsUri, companionKind, companionRuleById, fixAllCompanion, lintCompanion } from '../../server/src/companion/index';
import { applyEdits } from './helpers';

test('companionKind: kargs.d, sysusers.d and tmpfiles.d files by folder', () => {
  assert.equal(companionKind('/repo/files/usr/lib/bootc/kargs.d/10-console.toml', ''), 'kargs');
  assert.equal(companionKind('C:\\repo\\usr\\lib\\sysusers.d\\app.conf', ''), 'sysusers');
  assert.equal(companionKind('/repo/usr/lib/tmpfiles.d/app.conf', ''), 'tmpfiles');
  assert.equal(companionKind('/repo/usr/lib/tmpfiles.d/app.txt', ''), undefined);
  assert.equal(companionKind('/repo/usr/lib/bootc/kargs.d/README.md', ''), undefined);
});

test('companionKind: config.toml/json only with customizations (or a misspelling) or in a bootc-image-builder folder', () => {
  assert.equal(companionKind('/repo/config.toml', '[[customizations.user]]\nname = "a"\n'), 'bib-config-toml');
  assert.equal(companionKind('/repo/config.toml', '[customisations.kernel]\nappend = "quiet"\n'), 'bib-config-toml');
  assert.equal(companionKind('/repo/config.toml', 'customizations.kernel.append = "quiet"\n'), 'bib-config-toml');
  assert.equal(companionKind('/repo/config.json', '{"customizations": {}}'), 'bib-config-json');
  assert.equal(companionKind('/repo/config.json', '{"blueprint": {"customizations": {}}}'), 'bib-config-json');
  assert.equal(companionKind('/repo/bootc-image-builder/config.toml', ''), 'bib-config-toml');
  assert.equal(companionKind('/repo/usr/lib/bootc-image-builder/config.json', '{}'), 'bib-config-json');
  assert.equal(companionKind('/repo/.cargo/config.toml', '[build]\ntarget = "x86_64-unknown-linux-gnu"\n'), undefined);
  assert.equal(companionKind('/repo/config.json', '{"compilerOptions": {"strict": true}}'), undefined);
  assert.equal(companionKind('/repo/other.toml', '[[customizations.user]]'), undefined);
});

test('lintCompanion: severities can be overridden or turned off', () => {
  const text = '[[customizations.user]]\nname = "alice"\npassword = "bob"\n';
  assert.equal(lintCompanion('bib-config-toml', text)[0].severity, 'info');
  assert.equal(lintCompanion('bib-config-toml', text, { rules: { 'bib-config-plain-password': 'error' } })[0].severity, 'error');
  assert.deepEqual(lintCompanion('bib-config-toml', text, { rules: { 'bib-config-plain-password': 'off' } }), []);
  const deprecated = lintCompanion('tmpfiles', 'F /var/lib/x', { rules: { 'tmpfiles-invalid-line': 'hint' } });
  assert.equal(deprecated[0].severity, 'hint', 'an override wins over a per-finding severity');
});

test('lintCompanion: findings come sorted by position', () => {
  const findings = lintCompanion('tmpfiles', 'd /usr/lib/b\nd var/a\n');
  assert.deepEqual(findings.map((found) => found.range.start.line), [0, 1]);
});

test('fixAllCompanion: applies each preferred fix once and leaves nothing to report', () => {
  const config = '[[customizations.users]]\nname = "a"\n[[customizations.users]]\nname = "b"\n[customizations.kernal]\nappend = "quiet"\n';
  const edits = fixAllCompanion('bib-config-toml', config);
  assert.equal(edits.length, 3, 'the rename of users is offered twice but applied once');
  const fixed = applyEdits(config, edits);
  assert.equal(fixed, '[[customizations.user]]\nname = "a"\n[[customizations.user]]\nname = "b"\n[customizations.kernel]\nappend = "quiet"\n');
  assert.deepEqual(lintCompanion('bib-config-toml', fixed), []);
  const tmpfiles = 'F /var/lib/a 0644 - - - x\nd /var/run/b\nL /etc/c /usr/share/c\n';
  const cleaned = applyEdits(tmpfiles, fixAllCompanion('tmpfiles', tmpfiles));
  assert.equal(cleaned, 'f+ /var/lib/a 0644 - - - x\nd /run/b\nL /etc/c - - - - /usr/share/c\n');
  assert.deepEqual(lintCompanion('tmpfiles', cleaned), []);
  const mountpoint = '[[customizations.filesystem]]\nmountpoint = "/data"\n';
  assert.deepEqual(fixAllCompanion('bib-config-toml', mountpoint), [], 'a non-preferred fix is not applied by Fix all');
});

test('COMPANION_RULES: ids are unique, look-up works, and docs have a section per id', () => {
  const ids = COMPANION_RULES.map((rule) => rule.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(companionRuleById('kargs-toml')?.defaultSeverity, 'error');
  assert.equal(companionRuleById('nope'), undefined);
  assert.equal(companionDocsUri('tmpfiles-read-only-path', 'file:///ext/docs/companion-files.md'), 'file:///ext/docs/companion-files.md#tmpfiles-read-only-path');
  const docs = fs.readFileSync(path.join(__dirname, '../../docs/companion-files.md'), 'utf8');
  for (const rule of COMPANION_RULES) {
    assert.ok(rule.explanation.length > 40 && rule.description.length > 10, rule.id);
    assert.ok(docs.includes(`<a id="${rule.id}"></a>`), `docs/companion-files.md lacks the anchor #${rule.id}`);
  }
});
