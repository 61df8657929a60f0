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
    { name: 'continued lines', text: bootc('RUN set -eux; \\\n    dnf -y install vim; \\\n    dnf clean all; \\\n    bootc container lint') },
    { name: 'inside a heredoc script', text: bootc('RUN <<EOF\nset -eux\ndnf -y install vim\ndnf clean all\nbootc container lint\nEOF') },
    { name: 'bash -c', text: bootc("RUN bash -c 'dnf -y install vim && dnf clean all && bootc container lint'") },
    { name: 'exec form', text: bootc('RUN ["bootc", "container", "lint"]') },
    { name: 'followed by non-RUN instructions', text: bootc('RUN bootc container lint\nLABEL org.opencontainers.image.title=os\nCMD ["/sbin/init"]') },
    { name: 'final stage without RUN, parent lints', text: `${FROM} AS base\nRUN dnf -y install vim && dnf clean all && bootc container lint\nFROM base\nLABEL version=1\n` },
    { name: 'bootc detected by the lint itself', text: 'FROM registry.example.com/os:1\nRUN bootc container lint\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nRUN npm ci\n' },
  ],
  invalid: [
    { text: bootc('RUN dnf -y install httpd && dnf clean all'), at: FROM },
    { name: 'no RUN at all', text: bootc('COPY etc/ /etc/'), at: FROM },
    { name: 'lint is not the last RUN', text: bootc('RUN bootc container lint\nRUN dnf -y install vim && dnf clean all'), at: FROM },
    { name: 'other bootc command', text: bootc('RUN bootc container --help'), at: FROM },
    { name: 'lint only in a builder stage', text: `FROM quay.io/fedora/fedora-bootc:42 AS check\nRUN bootc container lint\n${FROM} AS final\nRUN true\n`, at: `${FROM} AS final` },
    { name: 'final stage RUN without lint, parent lints', text: `${FROM} AS base\nRUN bootc container lint\nFROM base\nRUN dnf -y install vim && dnf clean all\n`, at: 'FROM base' },
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
