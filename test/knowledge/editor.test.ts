// Hover and completion that teach bootc, on the Containerfile model: what shows where, and
// where nothing shows (non-bootc files, builder stages, heredoc bodies, `FROM node`).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, Hover, Position } from 'vscode-languageserver';
import { bootcHover, combineHovers, isBootcBuild } from '../../server/src/lsp/bootc-hover';
import { bootcCompletions } from '../../server/src/lsp/completion';
import { parseContainerfile } from '../../server/src/lint/model/containerfile';
import { loadShellParser } from '../../server/src/lint/shell/parser';

before(async () => {
  await loadShellParser(); // the model parses RUN scripts
});

const FEDORA = 'FROM quay.io/fedora/fedora-bootc:44\n';

/** The file with `|` removed, and the position where it was. */
function at(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'no | marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const lines = marked.slice(0, offset).split('\n');
  return { text, position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

function hover(marked: string, bootcBuild?: boolean): Hover | undefined {
  const { text, position } = at(marked);
  return bootcHover(parseContainerfile(text), position, { bootcBuild });
}

function hoverText(marked: string, bootcBuild?: boolean): string {
  const result = hover(marked, bootcBuild);
  assert.ok(result, `no hover at ${JSON.stringify(marked)}`);
  const contents = result.contents as { kind: string; value: string };
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

function complete(marked: string, bootcBuild?: boolean): CompletionItem[] {
  const { text, position } = at(marked);
  return bootcCompletions(parseContainerfile(text), position, { bootcBuild });
}

const labels = (items: CompletionItem[]) => items.map((item) => item.label);

// ---- hover ----------------------------------------------------------------------------------

test('hover on ENV in a bootc build says services do not see it, on the keyword\'s range', () => {
  const result = hover(`${FEDORA}E|NV FOO=bar\n`)!;
  assert.match((result.contents as { value: string }).value, /Environment=/);
  assert.deepEqual(result.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
});

test('no hover outside bootc builds, unless the server says the file is one', () => {
  const file = 'FROM docker.io/library/alpine:3\nE|NV FOO=bar\n';
  assert.equal(hover(file), undefined);
  assert.match(hoverText(file, true), /Environment=/);
  assert.equal(hover(`${FEDORA}E|NV FOO=bar\n`, false), undefined);
  assert.ok(isBootcBuild(parseContainerfile(`${FEDORA}RUN true\n`)));
  assert.ok(!isBootcBuild(parseContainerfile('FROM node:20\nRUN true\n')));
});

test('hover on other instructions: CMD, USER, EXPOSE, VOLUME, LABEL', () => {
  assert.match(hoverText(`${FEDORA}C|MD ["/sbin/init"]\n`), /systemd/);
  assert.match(hoverText(`${FEDORA}US|ER app\n`), /User=/);
  assert.match(hoverText(`${FEDORA}EXPOSE| 80\n`), /firewall/);
  assert.match(hoverText(`${FEDORA}VOLUME| /data\n`), /tmpfiles\.d/);
  assert.match(hoverText(`${FEDORA}LAB|EL a=b\n`), /containers\.bootc=1/);
  assert.equal(hover(`${FEDORA}ENV FOO=b|ar\n`), undefined);
});

test('hover on FROM describes the stage and the base image; on the image, the image and tag', () => {
  const keyword = hoverText(`F|ROM quay.io/fedora/fedora-bootc:44\nRUN true\n`);
  assert.match(keyword, /produces the image/);
  assert.match(keyword, /Fedora bootc/);
  const image = hover(`FROM quay.io/fedora/fedo|ra-bootc:44\n`)!;
  assert.match((image.contents as { value: string }).value, /Tag `44`: Fedora 44/);
  assert.deepEqual(image.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 35 } });
  const builder = hoverText(`FROM quay.io/fedora/fedora:44 AS build\nRUN make\n${FEDORA.replace('FROM', 'F|ROM')}COPY --from=build /out /usr/bin/\n`);
  assert.doesNotMatch(builder, /builder/);
  const first = hoverText(`FR|OM quay.io/fedora/fedora:44 AS build\nRUN make\n${FEDORA}COPY --from=build /out /usr/bin/\n`);
  assert.match(first, /builder: nothing it produces reaches the installed system/);
});

test('hover on a COPY destination resolves it against WORKDIR and names the bootc directory', () => {
  const text = hoverText(`${FEDORA}WORKDIR /usr/lib\nCOPY app.conf sysus|ers.d/\n`);
  assert.match(text, /`\/usr\/lib\/sysusers\.d`\*\* — system users and groups/);
  assert.match(text, /replaces it with the new image/);
  assert.match(hoverText(`${FEDORA}COPY data/ /var/li|b/app/\n`), /only when a machine is first installed/);
  assert.match(hoverText(`${FEDORA}ADD conf.tar /et|c/app/\n`), /3-way merge/);
  assert.equal(hover(`${FEDORA}COPY da|ta/ /var/lib/app/\n`), undefined, 'sources get no path hover');
});

test('hover on RUN arguments and redirect targets; not on the command or /dev/null', () => {
  assert.match(hoverText(`${FEDORA}RUN mkdir -p /var/lib/a|pp\n`), /first installed/);
  assert.match(hoverText(`${FEDORA}RUN echo 'x' > /etc/app|.conf\n`), /3-way merge/);
  assert.match(hoverText(`${FEDORA}RUN dnf -y install x && \\\n    install -D a /usr/lib/tmpfiles.d/a|pp.conf\n`), /tmpfiles\.d` files/);
  assert.equal(hover(`${FEDORA}RUN mk|dir -p /var/lib/app\n`), undefined);
  assert.equal(hover(`${FEDORA}RUN make > /dev/nu|ll\n`), undefined);
});

test('in a builder stage a path hover says nothing reaches the installed system', () => {
  const text = hoverText(`FROM quay.io/fedora/fedora:44 AS build\nRUN make install DESTDIR=/out && cp x /usr/bin/to|ol\n${FEDORA}COPY --from=build /out /\n`);
  assert.match(text, /builder stage/);
  assert.doesNotMatch(text, /read-only/);
});

test('hover on a global ARG says it is global; keywords in a builder stage say nothing ships', () => {
  const global = hoverText(`AR|G BASE=quay.io/fedora/fedora-bootc:44\nFROM \${BASE}\nRUN true\n`);
  assert.match(global, /comes before the first `FROM`: it is global/);
  assert.equal(hover(`ARG BASE=quay.io/fe|dora/fedora-bootc:44\nFROM \${BASE}\n`), undefined);
  const inStage = hoverText(`${FEDORA}AR|G VERSION=1\n`);
  assert.doesNotMatch(inStage, /comes before the first/);
  const builder = hoverText(`FROM quay.io/fedora/fedora:44 AS build\nR|UN make\n${FEDORA}COPY --from=build /out /usr/bin/\n`);
  assert.match(builder, /in a builder stage: nothing it does reaches the installed system/);
  assert.doesNotMatch(hoverText(`${FEDORA}R|UN make\n`), /builder stage/);
});

test('/usr/local follows the base image\'s distribution', () => {
  assert.match(hoverText(`FROM quay.io/centos-bootc/centos-bootc:stream10\nCOPY tool /usr/local/bi|n/\n`), /plain directory in CentOS Stream and RHEL/);
  assert.match(hoverText(`${FEDORA}COPY tool /usr/local/bi|n/\n`), /symlink to `\/var\/usrlocal` in Fedora bootc/);
});

test('combineHovers keeps both texts, generic first, and prefers the bootc range', () => {
  const bootc: Hover = { contents: { kind: 'markdown', value: 'bootc text' }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } } };
  const generic: Hover = { contents: ['generic text', { language: 'dockerfile', value: 'ENV x' }] };
  const combined = combineHovers(generic, bootc)!;
  const value = (combined.contents as { value: string }).value;
  assert.ok(value.indexOf('generic text') < value.indexOf('bootc text'));
  assert.match(value, /```dockerfile\nENV x\n```/);
  assert.match(value, /\n---\n/);
  assert.deepEqual(combined.range, bootc.range);
  assert.equal(combineHovers(null, bootc), bootc);
  assert.equal(combineHovers(generic, undefined), generic);
  assert.equal(combineHovers(undefined, undefined), null);
});

// ---- completion: FROM -----------------------------------------------------------------------

test('FROM quay.io/ offers bootc images with tags even before the file is a bootc build', () => {
  const items = complete('FROM quay.io/|\n');
  assert.ok(labels(items).includes('quay.io/fedora/fedora-bootc:44'));
  assert.ok(labels(items).includes('quay.io/centos-bootc/centos-bootc:stream10'));
  assert.ok(items.every((item) => String(item.label).startsWith('quay.io/')));
  const edit = items[0].textEdit as { range: unknown; newText: string };
  assert.deepEqual(edit.range, { start: { line: 0, character: 5 }, end: { line: 0, character: 13 } });
});

test('FROM node gets nothing; an image name prefix matches with a filter from that segment', () => {
  assert.deepEqual(complete('FROM node|\n'), []);
  assert.deepEqual(complete('FROM |\n'), [], 'an empty FROM in a file not known to be bootc');
  const items = complete('FROM fedora-b|\n');
  assert.deepEqual([...new Set(items.map((item) => String(item.label).split(':')[0]))], ['quay.io/fedora/fedora-bootc']);
  assert.ok(items.every((item) => item.filterText?.startsWith('fedora-bootc:')));
});

test('an empty FROM in a bootc build offers the whole catalog, most common first', () => {
  const items = complete('FROM |\nRUN bootc container lint\n');
  assert.ok(items.length >= 30, `${items.length} items`);
  const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  assert.equal(sorted[0].label, 'quay.io/fedora/fedora-bootc:45');
  assert.ok(labels(items).includes('registry.redhat.io/rhel9/rhel-bootc:9.6'));
  assert.ok(labels(items).includes('ghcr.io/ublue-os/bluefin:stable'));
});

test('after a catalog image and a colon, its tags replace only the tag', () => {
  const items = complete('FROM quay.io/fedora/fedora-bootc:4|\n');
  assert.deepEqual(labels(items), ['45', '44', '43', 'rawhide', 'latest']);
  const edit = items[0].textEdit as { range: unknown };
  assert.deepEqual(edit.range, { start: { line: 0, character: 33 }, end: { line: 0, character: 34 } });
  assert.deepEqual(labels(complete('FROM registry.redhat.io/rhel9/rhel-bootc:|')), ['9.8', '9.7', '9.6', '9.4', 'latest']);
  assert.deepEqual(complete('FROM docker.io/library/node:|\n'), []);
});

test('FROM flags are skipped; past the image or in a variable there is nothing', () => {
  assert.ok(complete('FROM --platform=linux/amd64 quay.io/|\n').length > 0);
  assert.deepEqual(complete('FROM quay.io/fedora/fedora-bootc:44 AS |\n'), []);
  assert.deepEqual(complete('ARG BASE=x\nFROM ${BA|\n'), []);
});

// ---- completion: directories ----------------------------------------------------------------

test('a COPY destination offers the 13 bootc directories with purpose and docs', () => {
  const items = complete(`${FEDORA}COPY app.conf |\n`);
  assert.equal(items.length, 13);
  const sysusers = items.find((item) => item.label === '/usr/lib/sysusers.d/')!;
  assert.equal(sysusers.detail, 'system users and groups');
  assert.match((sysusers.documentation as { value: string }).value, /\[Documentation\]\(https:/);
  const typed = complete(`${FEDORA}COPY --chmod=644 app.conf /usr/l|\n`);
  assert.equal(typed.length, 13);
  assert.deepEqual((typed[0].textEdit as { range: unknown }).range, { start: { line: 1, character: 26 }, end: { line: 1, character: 32 } });
});

test('no directories for COPY sources, JSON form, builder stages or non-bootc files', () => {
  assert.deepEqual(complete(`${FEDORA}COPY |\n`), []);
  assert.deepEqual(complete(`${FEDORA}COPY /us|\n`), []);
  assert.deepEqual(complete(`${FEDORA}COPY --chown=1000:1000 |\n`), []);
  assert.deepEqual(complete(`${FEDORA}COPY ["a", "/u|\n`), []);
  assert.deepEqual(complete(`FROM quay.io/fedora/fedora:44 AS build\nCOPY a /u|\n${FEDORA}RUN true\n`), []);
  assert.deepEqual(complete('FROM docker.io/library/alpine:3\nCOPY a /u|\n'), []);
  assert.equal(complete('FROM docker.io/library/alpine:3\nCOPY a /u|\n', true).length, 13);
});

test('absolute RUN arguments get directories, command names do not', () => {
  assert.equal(complete(`${FEDORA}RUN install -m 644 app.conf /u|\n`).length, 13);
  assert.equal(complete(`${FEDORA}RUN echo x > /e|\n`).length, 13);
  assert.equal(complete(`${FEDORA}RUN dnf -y install x && \\\n    install -D a /u|\n`).length, 13);
  assert.deepEqual(complete(`${FEDORA}RUN /u|\n`), []);
  assert.deepEqual(complete(`${FEDORA}RUN --mount=type=cache,target=/var/cache/dnf /u|\n`), []);
  assert.equal(complete(`${FEDORA}RUN --mount=type=cache,target=/var/cache/dnf dnf -y install x && cp a /u|\n`).length, 13);
  assert.deepEqual(complete(`${FEDORA}RUN true && /u|\n`), []);
  assert.deepEqual(complete(`${FEDORA}RUN install a b|\n`), []);
  assert.deepEqual(complete(`${FEDORA}RUN ["/usr/bin/install", "/u|\n`), []);
});

// ---- completion: RUN bootc container lint ---------------------------------------------------

test('RUN bootc container lint on a new line after the final FROM, or after a bare RUN', () => {
  const items = complete(`${FEDORA}RUN dnf -y install httpd\n|`);
  assert.deepEqual(labels(items), ['RUN bootc container lint']);
  assert.match((items[0].documentation as { value: string }).value, /bootc-container-lint/);
  assert.deepEqual(labels(complete(`${FEDORA}RUN dnf -y install httpd\nR|`)), ['RUN bootc container lint']);
  assert.deepEqual(labels(complete(`${FEDORA}RUN dnf -y install httpd\nRUN|\n`)), ['RUN bootc container lint']);
  const rest = complete(`${FEDORA}RUN true\nRUN |`);
  assert.deepEqual(labels(rest), ['bootc container lint']);
  assert.deepEqual((rest[0].textEdit as { range: unknown }).range, { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } });
  assert.deepEqual(labels(complete(`${FEDORA}RUN true\nRUN bootc co|`)), ['bootc container lint']);
  assert.deepEqual(complete(`${FEDORA}RUN true\nCOP|`), []);
  assert.deepEqual(complete(`${FEDORA}RUN true\nR|UN dnf -y install x\n`), [], 'not inside an existing instruction');
});

test('never when the file runs the lint, before the final FROM, in heredocs, or outside bootc builds', () => {
  assert.deepEqual(complete(`${FEDORA}RUN dnf -y install x && bootc container lint\n|`), []);
  assert.deepEqual(complete(`FROM quay.io/fedora/fedora:44 AS build\n|\n${FEDORA}RUN true\n`), []);
  assert.deepEqual(complete(`F|`), []);
  assert.deepEqual(complete(`${FEDORA}RUN <<EOF\nset -e\n|\nEOF\n`), []);
  assert.deepEqual(complete(`${FEDORA}COPY <<EOF /usr/lib/sysusers.d/app.conf\n/u|\nEOF\n`), []);
  assert.deepEqual(complete('FROM docker.io/library/alpine:3\nRUN true\n|'), []);
  assert.deepEqual(complete(`${FEDORA}# a comment R|\n`), []);
});

test('with --target the final stage is the target: no lint offer in a later stage', () => {
  const { text, position } = at(`FROM quay.io/fedora/fedora-bootc:44 AS os\nRUN true\n\nFROM os AS test\nRUN true\n|`);
  const file = parseContainerfile(text, 'os');
  assert.deepEqual(bootcCompletions(file, position), []);
  const { text: text2, position: position2 } = at(`FROM quay.io/fedora/fedora-bootc:44 AS os\nRUN true\n|\nFROM os AS test\nRUN true\n`);
  assert.deepEqual(labels(bootcCompletions(parseContainerfile(text2, 'os'), position2)), ['RUN bootc container lint']);
});
