import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { bootc, checkFix, findingsOf, ruleTable } from '../helpers/lint';

ruleTable('var-content', {
  valid: [
    { name: 'dnf cleanup of /var/cache and /var/log', text: bootc('RUN dnf -y install httpd && dnf clean all && rm -rf /var/{cache,log}/* /var/lib/dnf') },
    { name: 'removed later in the same RUN', text: bootc('RUN mkdir -p /var/lib/app && touch /var/lib/app/x && rm -rf /var/lib/app') },
    { name: 'removed by a later RUN', text: bootc('RUN mkdir -p /var/lib/app\nRUN systemctl enable app\nRUN rm -rf /var/lib/app') },
    { name: 'removed on one branch of an if', text: bootc('RUN mkdir -p /var/lib/x && if [ -f /etc/keep ]; then echo keep; else rm -rf /var/lib/x; fi') },
    { name: 'brace expansion removes /var/cache', text: bootc('RUN touch /var/cache/a /var/lib/dnf/b /var/lib/rhsm/c && rm -rf /var/{cache,log} /var/lib/{dnf,rhsm}') },
    { name: 'glob removal', text: bootc('RUN mkdir -p /var/cache/app/x && echo 1 > /var/log/app.log && rm -rf /var/cache/* /var/log/*.log') },
    { name: 'find -delete empties /var/log', text: bootc('RUN touch /var/log/build.log && find /var/log -type f -delete') },
    { name: 'ostree container commit cleans /var/cache and /var/tmp', text: bootc('RUN mkdir -p /var/cache/x /var/tmp/y && ostree container commit') },
    { name: 'cache mount target', text: bootc('RUN --mount=type=cache,target=/var/cache/app mkdir -p /var/cache/app/x && cp a /var/cache/app/') },
    { name: 'tmpfs and bind mount targets', text: bootc('RUN --mount=type=tmpfs,target=/var/tmp --mount=type=bind,from=build,source=/out,target=/var/lib/out \\\n    cp /var/lib/out/app /var/tmp/app && install /var/tmp/app /usr/bin/app') },
    { name: 'symlink elsewhere pointing into /var', text: bootc('RUN mkdir -p /opt/app && ln -sr /var/log/app /opt/app/logs') },
    { name: 'chown/chmod of existing paths', text: bootc('RUN chown -R 1000:1000 /var/lib/existing && chmod 0750 /var/log/audit && chgrp wheel /var/spool') },
    { name: 'empty standard directories', text: bootc('RUN mkdir -p /var/lib /var/log /var/tmp /var/opt /var/mnt /var/spool /var/cache') },
    { name: 'directories the base image already has', text: bootc('RUN mkdir -p /var/lib/alternatives /var/lib/containers && /ctx/build.sh') },
    { name: '/var/run is /run (api-filesystem-content)', text: bootc('RUN mkdir -p /var/run/app') },
    { name: '/var/roothome and /var/home (home-content)', text: bootc('RUN mkdir -p /var/roothome/.ssh /var/home/core') },
    { name: 'heredoc body is data, not commands', text: bootc('RUN cat > /usr/libexec/app-setup <<EOF\nmkdir -p /var/lib/app\ntouch /var/lib/app/ready\nEOF') },
    { name: 'tmpfiles.d entry instead', text: bootc("RUN echo 'd /var/lib/app 0755 root root -' > /usr/lib/tmpfiles.d/app.conf") },
    { name: 'in-place edit of an existing file', text: bootc("RUN sed -i 's/a/b/' /var/lib/pgsql/pg_hba.conf") },
    { name: 'moved out of /var', text: bootc('RUN mkdir -p /var/opt/app && mv /var/opt/app /usr/lib/app') },
    { name: 'mkdir -p of /var/run while it is the symlink', text: bootc('RUN mkdir -p /var/run') },
    { name: 'dynamic path', text: bootc('RUN mkdir -p "$(mktemp -d)/x" /var/lib/$NAME') },
    { name: 'global ARG not redeclared in the stage is empty', text: 'ARG DATA=/var/lib/app\nFROM quay.io/fedora/fedora-bootc:42\nRUN mkdir -p ${DATA}/x\n' },
    { name: 'builder stage', text: 'FROM fedora:42 AS build\nRUN mkdir -p /var/lib/app && touch /var/lib/app/x\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=build /var/lib/app/x /usr/share/app/x\n' },
    { name: 'plain app Dockerfile', text: 'FROM node:20\nRUN mkdir -p /var/lib/app\nCOPY . /var/www/html\n' },
  ],
  invalid: [
    { name: 'mkdir -p', text: bootc('RUN mkdir -p /var/lib/app'), at: '/var/lib/app' },
    { name: 'COPY destination from ARG', text: bootc('ARG CONFDIR=/var/lib/app\nCOPY app.conf ${CONFDIR}/'), at: '${CONFDIR}/' },
    { name: 'COPY --from=builder into /var', text: 'FROM golang AS builder\nRUN go build -o /out/app\nFROM quay.io/fedora/fedora-bootc:42\nCOPY --from=builder /out/app /var/lib/app/app\n', at: '/var/lib/app/app' },
    { name: 'WORKDIR-relative COPY', text: bootc('WORKDIR /var/www\nCOPY site/ .'), at: '.' },
    { name: 'ADD of an archive', text: bootc('ADD data.tar.gz /var/lib/app/'), at: '/var/lib/app/' },
    { name: 'ENV substitution', text: bootc('ENV DATA=/var/lib/data\nRUN mkdir -p $DATA'), at: '$DATA' },
    { name: 'global ARG redeclared in the stage', text: 'ARG DATA=/var/lib/app\nFROM quay.io/fedora/fedora-bootc:42\nARG DATA\nRUN mkdir -p ${DATA}\n', at: '${DATA}' },
    { name: 'touch', text: bootc('RUN touch /var/lib/app.db'), at: '/var/lib/app.db' },
    { name: 'redirect', text: bootc('RUN echo ready > /var/lib/app/state'), at: '/var/lib/app/state' },
    { name: 'append redirect', text: bootc('RUN echo "x" >> /var/spool/cron/root'), at: '/var/spool/cron/root' },
    { name: 'cp -r target', text: bootc('RUN cp -r /usr/share/app/defaults /var/lib/app'), at: '/var/lib/app' },
    { name: 'install -D target', text: bootc('RUN install -D -m 0644 /usr/share/app/db /var/lib/app/db'), at: '/var/lib/app/db' },
    { name: 'ln -s target in /var', text: bootc('RUN ln -s /usr/share/app /var/lib/app'), at: '/var/lib/app' },
    { name: 'tar -C /var', text: bootc('RUN curl -L https://example.com/data.tgz | tar -xz -C /var/lib/app'), at: '/var/lib/app' },
    { name: 'archive unpacked into /var, only the archive removed', text: bootc('RUN curl -Lo /var/lib/app/data.tgz https://example.com/data.tgz && tar -xzf /var/lib/app/data.tgz -C /var/lib/app && rm /var/lib/app/data.tgz'), at: '/var/lib/app' },
    { name: 'git clone into /var', text: bootc('RUN git clone --depth 1 https://github.com/x/y.git /var/lib/y'), at: '/var/lib/y' },
    { name: 'cd then relative mkdir', text: bootc('RUN cd /var/lib && mkdir foo'), at: 'foo' },
    { name: 'set -eux and line continuations', text: bootc('RUN set -eux; \\\n    dnf -y install x && dnf clean all; \\\n    mkdir -p /var/lib/x'), at: '/var/lib/x' },
    { name: 'bash -c string (no fix)', text: bootc("RUN bash -c 'mkdir -p /var/lib/app'"), at: '/var/lib/app' },
    { name: 'heredoc RUN script', text: bootc('RUN <<EOF\nset -e\nmkdir -p /var/lib/app\nEOF'), at: '/var/lib/app' },
    { name: 'sudo and env wrappers', text: bootc('RUN sudo env A=1 mkdir -p /var/lib/app'), at: '/var/lib/app' },
    { name: 'created on an if branch', text: bootc('RUN if [ -n "$X" ]; then mkdir -p /var/lib/x; fi'), at: '/var/lib/x' },
    { name: 'exec form', text: bootc('RUN ["mkdir", "-p", "/var/lib/app"]'), at: '["mkdir", "-p", "/var/lib/app"]' },
    { name: 'removal of a different path (whole components)', text: bootc('RUN mkdir -p /var/lib/app-data && rm -rf /var/lib/app'), at: '/var/lib/app-data' },
    { name: 'several paths in one mkdir', text: bootc('RUN mkdir -p -m 0750 /var/lib/a /var/lib/b'), at: '/var/lib/a', count: 2 },
    { name: 'brace expansion in one word', text: bootc('RUN mkdir -p /var/lib/app/{data,state}'), at: '/var/lib/app/{data,state}' },
    { name: 'cache left behind', text: bootc('RUN mkdir -p /var/cache/app'), at: '/var/cache/app' },
    { name: 'then chown (no fix)', text: bootc('RUN mkdir -p /var/lib/app && chown app:app /var/lib/app'), at: '/var/lib/app' },
    { name: 'inherited from a parent stage', text: 'FROM quay.io/centos-bootc/centos-bootc:stream9 AS base\nRUN mkdir -p /var/lib/app\nFROM base\nRUN bootc container lint\n', at: '/var/lib/app' },
  ],
});

async function fixed(body: string): Promise<string | undefined> {
  const text = bootc(body);
  const [finding] = await findingsOf(text, 'var-content');
  assert.ok(finding, 'a finding');
  if (finding.fixes.length === 0) return undefined;
  await checkFix(text, 'var-content', finding);
  return applyEdits(text, finding.fixes[0].edits).split('\n').slice(1).join('\n').trimEnd();
}

test('var-content fix: a lone mkdir becomes a tmpfiles.d entry named after the directory', async () => {
  assert.equal(await fixed('RUN mkdir -p /var/lib/app'), "RUN echo 'd /var/lib/app 0755 root root -' > /usr/lib/tmpfiles.d/app.conf");
});

test('var-content fix: keeps the other commands of the RUN and honours -m', async () => {
  assert.equal(
    await fixed('RUN dnf -y install x && \\\n    mkdir -p -m 750 /var/lib/app && \\\n    dnf clean all'),
    "RUN dnf -y install x && \\\n    echo 'd /var/lib/app 0750 root root -' > /usr/lib/tmpfiles.d/app.conf && \\\n    dnf clean all",
  );
});

test('var-content fix: several paths, and paths outside /var stay with mkdir', async () => {
  assert.equal(
    await fixed('RUN mkdir -p /etc/app /var/lib/app /var/log/app'),
    "RUN mkdir -p /etc/app && printf '%s\\n' 'd /var/lib/app 0755 root root -' 'd /var/log/app 0755 root root -' > /usr/lib/tmpfiles.d/app.conf",
  );
  assert.equal(
    await fixed('RUN mkdir -p /var/lib/app/{data,state}'),
    "RUN printf '%s\\n' 'd /var/lib/app/data 0755 root root -' 'd /var/lib/app/state 0755 root root -' > /usr/lib/tmpfiles.d/data.conf",
  );
});

test('var-content fix: install -d keeps owner and group; heredoc scripts are edited in place', async () => {
  assert.equal(await fixed('RUN install -d -m 0700 -o app -g app /var/lib/app'), "RUN echo 'd /var/lib/app 0700 app app -' > /usr/lib/tmpfiles.d/app.conf");
  assert.equal(await fixed('RUN <<EOF\nset -e\nmkdir /var/lib/app\nEOF'), "RUN <<EOF\nset -e\necho 'd /var/lib/app 0755 root root -' > /usr/lib/tmpfiles.d/app.conf\nEOF");
});

test('var-content fix: a name already used in tmpfiles.d gets a suffix', async () => {
  assert.equal(
    await fixed("COPY app.conf /usr/lib/tmpfiles.d/app.conf\nRUN mkdir /var/log/app"),
    "COPY app.conf /usr/lib/tmpfiles.d/app.conf\nRUN echo 'd /var/log/app 0755 root root -' > /usr/lib/tmpfiles.d/app-2.conf",
  );
});

test('var-content fix: not offered when the build still uses the directory, or inside quoted scripts', async () => {
  assert.equal(await fixed('RUN mkdir -p /var/lib/app && chown app /var/lib/app'), undefined);
  assert.equal(await fixed('RUN mkdir -p /var/lib/app\nCOPY data/ /var/lib/app/'), undefined);
  assert.equal(await fixed('RUN mkdir -p /var/lib/app\nWORKDIR /var/lib/app\nRUN echo hi'), undefined);
  assert.equal(await fixed("RUN bash -c 'mkdir -p /var/lib/app'"), undefined);
  assert.equal(await fixed('RUN mkdir -p -m u=rwx /var/lib/app'), undefined);
});
