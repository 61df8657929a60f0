import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('api-filesystem-content', {
  valid: [
    { name: 'download removed in the same RUN', text: bootc('RUN curl -Lo /tmp/app.rpm https://example.com/app.rpm && dnf -y install /tmp/app.rpm && rm -f /tmp/app.rpm && dnf clean all') },
    { name: 'COPY to /tmp removed by a later RUN', text: bootc('COPY app.rpm /tmp/\nRUN dnf -y install /tmp/app.rpm && dnf clean all && rm /tmp/app.rpm') },
    { name: 'archive unpacked in /tmp and cleaned up', text: bootc('RUN curl -L https://example.com/app.tgz | tar -xz -C /tmp && mv /tmp/app-1.0/bin/app /usr/bin/ && rm -rf /tmp/app-1.0') },
    { name: 'tmpfs mount on /tmp', text: bootc('RUN --mount=type=tmpfs,target=/tmp cd /tmp && git clone https://github.com/x/y && make -C y install') },
    { name: 'secret mount under /run/secrets', text: bootc('RUN --mount=type=secret,id=creds cp /run/secrets/creds /etc/app/creds && cat /run/secrets/creds > /etc/app/token') },
    { name: '/dev/null and fd redirects', text: bootc('RUN dnf -y install x > /dev/null 2>&1 && echo done > /dev/stderr && dnf clean all') },
    { name: 'cleanup of /tmp/* and /run/* in a later RUN', text: bootc('RUN mkdir -p /run/app /tmp/build && touch /tmp/build/x\nRUN rm -rf /tmp/* /run/*') },
    { name: 'ostree container commit empties /tmp and /run', text: bootc('RUN echo x > /tmp/x && mkdir -p /run/dnf && ostree container commit') },
    { name: 'creating /tmp or /run itself', text: bootc('RUN mkdir -p /tmp /run && chmod 1777 /tmp') },
    { name: '/var/tmp is /var (var-content)', text: bootc('RUN mkdir -p /var/tmp/build') },
    { name: 'cd /tmp with cleanup', text: bootc('RUN cd /tmp && curl -LO https://example.com/x.rpm && dnf -y install ./x.rpm && rm -f x.rpm && dnf clean all') },
    { name: 'heredoc body mentioning /tmp is data', text: bootc('RUN cat > /usr/libexec/setup <<EOF\necho hi > /tmp/hi\nEOF') },
    { name: 'builder stage', text: 'FROM fedora:42 AS build\nRUN echo x > /tmp/x && mkdir /run/app\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /tmp/x /usr/share/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nCOPY app.tgz /tmp/\nRUN echo 1 > /proc/sys/net/ipv4/ip_forward\n' },
  ],
  invalid: [
    { name: 'download left in /tmp', text: bootc('RUN curl -Lo /tmp/app.rpm https://example.com/app.rpm && dnf -y install /tmp/app.rpm && dnf clean all'), at: '/tmp/app.rpm' },
    { name: 'COPY into /tmp never removed (no fix)', text: bootc('COPY app.rpm /tmp/\nRUN dnf -y install /tmp/app.rpm && dnf clean all'), at: '/tmp/' },
    { name: 'git clone into the working directory /tmp', text: bootc('WORKDIR /tmp\nRUN git clone https://github.com/x/tool.git && make -C tool install'), at: 'https://github.com/x/tool.git' },
    { name: 'cd /tmp && curl -O', text: bootc('RUN cd /tmp && curl -LO https://example.com/x.rpm && dnf -y install ./x.rpm && dnf clean all'), at: 'https://example.com/x.rpm' },
    { name: '/run directory', text: bootc('RUN mkdir -p /run/app'), at: '/run/app' },
    { name: '/var/run/x while /var/run is the symlink', text: bootc('RUN mkdir -p /var/run/app'), at: '/var/run/app' },
    { name: 'redirect into /tmp in a heredoc script', text: bootc('RUN <<EOF\nset -eu\nrpm -qa > /tmp/packages.txt\nEOF'), at: '/tmp/packages.txt' },
    { name: 'bash -c string', text: bootc('RUN bash -c "touch /tmp/marker"'), at: '/tmp/marker' },
    { name: 'ARG substitution', text: bootc('ARG SCRATCH=/tmp/build\nRUN mkdir -p ${SCRATCH}'), at: '${SCRATCH}' },
    { name: '/proc write is an error', text: bootc('RUN echo 10 > /proc/sys/vm/swappiness'), at: '/proc/sys/vm/swappiness' },
    { name: '/sys write', text: bootc('RUN echo 0 > /sys/fs/selinux/enforce'), at: '/sys/fs/selinux/enforce' },
    { name: '/dev node', text: bootc('RUN mknod /dev/fuse c 10 229 && ln -s /dev/null /dev/app'), at: '/dev/fuse', count: 2 },
    { name: 'COPY into /dev', text: bootc('COPY 99-app.rules /dev/'), at: '/dev/' },
    { name: 'removal of a sibling does not count', text: bootc('RUN touch /tmp/a-b && rm -f /tmp/a'), at: '/tmp/a-b' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN touch /tmp/x\nFROM base\n', at: '/tmp/x' },
  ],
});

test('api-filesystem-content: /proc, /sys, /dev are errors, /run and /tmp warnings, user overrides win', async () => {
  const text = bootc('RUN echo 1 > /proc/sys/x && touch /tmp/y');
  const findings = await findingsOf(text, 'api-filesystem-content');
  assert.deepEqual(findings.map((f) => f.severity), ['error', 'warning']);
  const overridden = await findingsOf(text, 'api-filesystem-content', { config: { rules: { 'api-filesystem-content': 'info' } } });
  assert.deepEqual(overridden.map((f) => f.severity), ['info', 'info']);
});

test('api-filesystem-content fix: mounts a tmpfs on /tmp or /run for that RUN', async () => {
  const text = bootc('RUN curl -Lo /tmp/app.rpm https://example.com/app.rpm && dnf -y install /tmp/app.rpm && dnf clean all');
  const [finding] = await findingsOf(text, 'api-filesystem-content');
  await checkFix(text, 'api-filesystem-content', finding);
  assert.match(applyEdits(text, finding.fixes[0].edits), /^RUN --mount=type=tmpfs,target=\/tmp curl -Lo/m);
  const run = bootc('RUN --mount=type=cache,target=/var/cache/dnf mkdir -p /var/run/app');
  const [runFinding] = await findingsOf(run, 'api-filesystem-content');
  assert.match(applyEdits(run, runFinding.fixes[0].edits), /^RUN --mount=type=cache,target=\/var\/cache\/dnf --mount=type=tmpfs,target=\/run mkdir/m);
});

test('api-filesystem-content fix: not offered when a later step uses the files, or for /proc', async () => {
  const later = await findingsOf(bootc('RUN curl -Lo /tmp/setup.sh https://example.com/setup.sh\nRUN bash /tmp/setup.sh'), 'api-filesystem-content');
  assert.equal(later[0].fixes.length, 0);
  const earlier = await findingsOf(bootc('COPY setup.sh /tmp/setup.sh\nRUN bash /tmp/setup.sh > /tmp/log'), 'api-filesystem-content');
  assert.deepEqual(earlier.map((f) => f.fixes.length), [0, 0]);
  const secrets = await findingsOf(bootc('RUN --mount=type=secret,id=t cat /run/secrets/t > /run/app.token'), 'api-filesystem-content');
  assert.equal(secrets[0].fixes.length, 0);
  const proc = await findingsOf(bootc('RUN echo 1 > /proc/sys/x'), 'api-filesystem-content');
  assert.equal(proc[0].fixes.length, 0);
});
