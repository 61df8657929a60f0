import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('ostree-container-commit', {
  valid: [
    bootc('RUN dnf -y install vim && dnf clean all'),
    bootc('RUN ostree --version && ostree container image deploy --help'),
    { name: 'mentioned in data', text: bootc('RUN echo "ostree container commit" > /usr/share/doc/notes.txt') },
    { name: 'builder stage', text: 'FROM quay.io/fedora/fedora-bootc:42 AS build\nRUN ostree container commit\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /usr/bin/x /usr/bin/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM fedora:42\nRUN ostree container commit\n' },
  ],
  invalid: [
    { name: 'alone', text: bootc('RUN ostree container commit'), at: 'ostree container commit' },
    { name: 'at the end of a chain', text: bootc('RUN systemctl enable sshd && ostree container commit'), at: 'ostree container commit' },
    { name: 'at the start of a chain', text: bootc('RUN ostree container commit && systemctl enable sshd'), at: 'ostree container commit' },
    { name: 'in the middle', text: bootc('RUN systemctl enable sshd && ostree container commit && systemctl enable chronyd'), at: 'ostree container commit' },
    { name: 'leading && continuation', text: bootc('RUN systemctl enable sshd \\\n    && ostree container commit'), at: 'ostree container commit' },
    { name: 'trailing && continuation', text: bootc('RUN systemctl enable sshd && \\\n    ostree container commit && \\\n    systemctl enable chronyd'), at: 'ostree container commit' },
    { name: 'after set -eux;', text: bootc('RUN set -eux; systemctl enable sshd; ostree container commit'), at: 'ostree container commit' },
    { name: 'cleaning up after dnf: replaced by dnf clean all', text: bootc('RUN dnf -y install vim && ostree container commit'), at: 'ostree container commit' },
    { name: 'cleaning up files in /tmp', text: bootc('RUN curl -o /tmp/x.tar.gz https://example.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /usr/lib/x && ostree container commit'), at: 'ostree container commit' },
    { name: 'heredoc script', text: bootc('RUN <<EOF\nset -eux\nsystemctl enable sshd\nostree container commit\nEOF'), at: 'ostree container commit' },
    { name: 'bash -c', text: bootc("RUN bash -c 'systemctl enable sshd && ostree container commit'"), at: 'ostree container commit' },
    { name: 'inside an if block', text: bootc('RUN if [ -x /usr/bin/ostree ]; then ostree container commit; fi'), at: 'ostree container commit' },
    { name: 'with rpm-ostree', text: bootc('RUN rpm-ostree install vim && \\\n    rpm-ostree cleanup -m && \\\n    ostree container commit'), at: 'ostree container commit' },
  ],
});

const fixed = async (text: string) => {
  const [finding] = await findingsOf(text, 'ostree-container-commit');
  return checkFix(text, 'ostree-container-commit', finding);
};

test('ostree-container-commit: fixes keep the chain valid', async () => {
  assert.equal(await fixed(bootc('RUN ostree container commit\nRUN bootc container lint')), bootc('RUN bootc container lint'));
  assert.equal(await fixed(bootc('RUN systemctl enable sshd && ostree container commit')), bootc('RUN systemctl enable sshd'));
  assert.equal(await fixed(bootc('RUN ostree container commit && systemctl enable sshd')), bootc('RUN systemctl enable sshd'));
  assert.equal(await fixed(bootc('RUN a && ostree container commit && b')), bootc('RUN a && b'));
  assert.equal(await fixed(bootc('RUN a \\\n    && ostree container commit \\\n    && b')), bootc('RUN a \\\n    && b'));
  assert.equal(await fixed(bootc('RUN a && \\\n    ostree container commit')), bootc('RUN a'));
  assert.equal(await fixed(bootc('RUN dnf -y install vim && ostree container commit')), bootc('RUN dnf -y install vim && dnf clean all'));
  assert.equal(await fixed(bootc('RUN <<EOF\nset -eux\na\nostree container commit\nEOF')), bootc('RUN <<EOF\nset -eux\na\nEOF'));
  assert.equal(await fixed(bootc('RUN if true; then ostree container commit; fi')), bootc('RUN if true; then true; fi'));
});
