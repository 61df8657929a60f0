import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, findingsOf, ruleTable } from '../helpers/lint';

const FROM = 'FROM quay.io/fedora/fedora-bootc:42';

ruleTable('missing-bootc-lint', {
  valid: [
    bootc('RUN dnf -y install httpd && dnf clean all\nRUN bootc container lint'),
    { name: 'chained at the end', text: bootc('RUN dnf -y install httpd && dnf clean all && bootc container lint') },
    { name: 'with flags', text: bootc('RUN bootc container lint --fatal-warnings') },
    { name: 'followed only by another linter', text: bootc('RUN dnf -y install httpd && dnf clean all\nRUN bootc container lint\nRUN nbc lint --local') },
    { name: 'continued lines', text: bootc('RUN set -eux; \\\n    dnf -y install vim; \\\n    dnf clean all; \\\n    bootc container lint') },
    { name: 'inside a heredoc script', text: bootc('RUN <<EOF\nset -eux\ndnf -y install vim\ndnf clean all\nbootc container lint\nEOF') },
    { name: 'bash -c', text: bootc("RUN bash -c 'dnf -y install vim && dnf clean all && bootc container lint'") },
    { name: 'exec form', text: bootc('RUN ["bootc", "container", "lint"]') },
    { name: 'followed by non-RUN instructions', text: bootc('RUN bootc container lint\nLABEL org.opencontainers.image.title=os\nCMD ["/sbin/init"]') },
    { name: 'final stage without RUN, parent lints', text: `${FROM} AS base\nRUN dnf -y install vim && dnf clean all && bootc container lint\nFROM base\nLABEL version=1\n` },
    { name: 'bootc detected by the lint itself', text: 'FROM registry.example.com/os:1\nRUN bootc container lint\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nRUN npm ci\n' },
    { name: 'dedicated lint stage FROM the image stage', text: `${FROM} AS rootfs\nRUN dnf -y install vim && dnf clean all\nFROM rootfs AS lint\nRUN bootc container lint\nFROM rootfs\nLABEL containers.bootc=1\n` },
    { name: 'image re-chunked from a stage whose last RUN lints', text: `${FROM} AS build\nRUN dnf -y install vim && dnf clean all\nRUN bootc container lint\nFROM quay.io/example/rechunker AS chunk\nRUN --mount=from=build,src=/,target=/rootfs,ro rechunk /rootfs > /run/src/out.ociarchive\nFROM oci-archive:out.ociarchive\nLABEL containers.bootc=1\n` },
    {
      name: 'sealed build lints the image rootfs from another stage',
      text: `${FROM} AS image\nRUN dnf -y install vim && dnf clean all\nFROM ${'quay.io/fedora/fedora:42'} AS check\nRUN --mount=type=bind,from=image,target=/target bootc container lint --rootfs /target --fatal-warnings\nFROM image\nCOPY --from=check /etc/hostname /usr/share/doc/x\nCMD ["/sbin/init"]\n`,
    },
  ],
  invalid: [
    { text: bootc('RUN dnf -y install httpd && dnf clean all'), at: FROM },
    { name: 'no RUN at all', text: bootc('COPY etc/ /etc/'), at: FROM },
    { name: 'lint is not the last RUN', text: bootc('RUN bootc container lint\nRUN dnf -y install vim && dnf clean all'), at: FROM },
    { name: 'another linter is not bootc container lint', text: bootc('RUN dnf -y install httpd && dnf clean all\nRUN nbc lint --local'), at: FROM },
    { name: 'other bootc command', text: bootc('RUN bootc container --help'), at: FROM },
    { name: 'lint only in a builder stage', text: `FROM quay.io/fedora/fedora-bootc:42 AS check\nRUN bootc container lint\n${FROM} AS final\nRUN true\n`, at: `${FROM} AS final` },
    { name: 'final stage RUN without lint, parent lints', text: `${FROM} AS base\nRUN bootc container lint\nFROM base\nRUN dnf -y install vim && dnf clean all\n`, at: 'FROM base' },
    {
      name: '--rootfs lint of an earlier stage than the last RUN',
      text: `${FROM} AS image\nFROM quay.io/fedora/fedora:42 AS check\nRUN --mount=type=bind,from=image,target=/target bootc container lint --rootfs /target\nFROM image\nRUN dnf -y install vim && dnf clean all\n`,
      at: 'FROM image',
    },
    { name: 'lint stage FROM an earlier stage than the last RUN', text: `${FROM} AS rootfs\nFROM rootfs AS lint\nRUN bootc container lint\nFROM rootfs\nRUN dnf -y install vim && dnf clean all\n`, at: 'FROM rootfs' },
    { name: 'image without RUN, lint in an unused stage', text: `FROM quay.io/fedora/fedora-bootc:41 AS other\nRUN bootc container lint\n${FROM} AS final\nCOPY etc/ /etc/\n`, at: `${FROM} AS final` },
    { name: 'heredoc RUN last', text: bootc('RUN <<EOF\ndnf -y install vim\ndnf clean all\nEOF'), at: FROM },
  ],
});

async function fixed(text: string): Promise<string> {
  const [finding] = await findingsOf(text, 'missing-bootc-lint');
  return applyEdits(text, finding.fixes[0].edits);
}

test('missing-bootc-lint: the fix appends RUN bootc container lint at the end of the final stage', async () => {
  assert.equal(await fixed(bootc('RUN dnf -y install vim && dnf clean all\nCMD ["/sbin/init"]')), bootc('RUN dnf -y install vim && dnf clean all\nCMD ["/sbin/init"]\nRUN bootc container lint'));
  assert.equal(await fixed(`${FROM}\nRUN <<EOF\ndnf -y install vim\nEOF`), `${FROM}\nRUN <<EOF\ndnf -y install vim\nEOF\nRUN bootc container lint`);
  assert.equal(await fixed(`${FROM}`), `${FROM}\nRUN bootc container lint`);
});
