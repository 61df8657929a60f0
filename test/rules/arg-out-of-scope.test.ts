import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/lint/fixes';
import { findingsOf, ruleTable } from '../helpers/lint';

const BASE = 'quay.io/fedora/fedora-bootc:42';

ruleTable('arg-out-of-scope', {
  valid: [
    { name: 'global ARG used in FROM', text: `ARG BASE=${BASE}\nFROM \${BASE}\nRUN dnf -y install vim && dnf clean all\n` },
    { name: 'global ARG redeclared in the stage', text: `ARG VERSION=1.2\nFROM ${BASE}\nARG VERSION\nRUN curl -fLo /usr/bin/app https://example.com/app-\${VERSION}\n` },
    { name: 'variable from the base image environment', text: `FROM ${BASE}\nRUN echo $PATH $HOME > /etc/app.env\n` },
    { name: 'shell variable set in the script', text: `ARG kver=6.1\nFROM ${BASE}\nRUN kver=$(cd /usr/lib/modules && echo *) && dracut -vf /usr/lib/modules/$kver/initramfs.img $kver\n` },
    { name: 'for loop variable', text: `ARG f=x\nFROM ${BASE}\nRUN for f in /etc/yum.repos.d/*.repo; do sed -i 's/enabled=1/enabled=0/' "$f"; done\n` },
    { name: 'read variable', text: `ARG line\nFROM ${BASE}\nRUN while read -r line; do echo "$line"; done < /etc/hosts\n` },
    { name: 'ENV inherited from a parent stage', text: `FROM ${BASE} AS base\nENV APPDIR=/usr/share/app\nFROM base\nARG APPDIR2\nCOPY app \${APPDIR}/\n` },
    { name: 'ARG declared in the stage before use', text: `FROM ${BASE}\nARG USER=core\nCOPY key.pub /usr/share/\${USER}/\n` },
    { name: 'single-quoted in the shell', text: `ARG NAME=x\nFROM ${BASE}\nRUN echo '$NAME' > /etc/motd\n` },
    { name: 'quoted heredoc fed as data', text: `ARG NAME=x\nFROM ${BASE}\nRUN cat > /usr/lib/app.conf <<'EOF'\nname=$NAME\nEOF\n` },
    { name: 'predefined proxy argument', text: `ARG HTTP_PROXY\nFROM ${BASE}\nRUN curl -x "$HTTP_PROXY" -fsSLo /usr/bin/x https://example.com/x\n` },
    { name: 'builder stage', text: `ARG GOVERSION=1.22\nFROM golang AS build\nRUN echo $GOVERSION\nFROM ${BASE}\nCOPY --from=build /out /usr/bin/app\n` },
    { name: 'runtime CMD', text: `ARG PORT=80\nFROM ${BASE}\nCMD /usr/bin/app --port $PORT\n` },
    { name: 'single-quoted LABEL', text: `ARG VERSION=1\nFROM ${BASE}\nLABEL note='uses $VERSION at build time'\n` },
    { name: 'exec form without a shell', text: `ARG NAME=x\nFROM ${BASE}\nRUN ["/usr/bin/echo", "$NAME"]\n` },
    { name: 'COPY heredoc body', text: `ARG NAME=x\nFROM ${BASE}\nCOPY <<EOF /usr/lib/app.conf\nname=$NAME\nEOF\n` },
    { name: 'exported in the script', text: `ARG ARCH=x86_64\nFROM ${BASE}\nRUN export ARCH=$(uname -m) && curl -fLo /usr/bin/app https://example.com/app.$ARCH\n` },
    { name: 'escaped dollar', text: `ARG NAME=x\nFROM ${BASE}\nRUN echo \\$NAME > /etc/motd\n` },
    { name: 'plain app Dockerfile', text: 'ARG NODE=20\nFROM node:${NODE}\nRUN echo $NODE\n' },
  ],
  invalid: [
    // The catalog's example: the builder copies to /home//, which home-content reports before and after the fix.
    { name: 'catalog example: COPY to /home/${USER}/', text: `ARG USER=core\nFROM ${BASE}\nCOPY authorized_keys /home/\${USER}/.ssh/\n`, at: '${USER}' },
    { name: 'global ARG in COPY', text: `ARG APP=web\nFROM ${BASE}\nCOPY app.conf /usr/share/\${APP}/\n`, at: '${APP}' },
    { name: 'global ARG in RUN', text: `ARG VERSION=1.2\nFROM ${BASE}\nRUN curl -fLo /usr/bin/app https://example.com/app-$VERSION && chmod +x /usr/bin/app\n`, at: '$VERSION' },
    { name: 'ARG of a parent stage', text: `FROM ${BASE} AS base\nARG FLAVOR=server\nFROM base\nRUN echo \${FLAVOR} > /etc/flavor\n`, at: '${FLAVOR}' },
    { name: 'ARG declared later in the stage', text: `FROM ${BASE}\nRUN echo $RELEASE > /etc/release\nARG RELEASE=1\n`, at: '$RELEASE' },
    { name: 'default value syntax', text: `ARG FEDORA=42\nFROM ${BASE}\nRUN dnf -y --releasever=\${FEDORA:-41} install vim && dnf clean all\n`, at: '${FEDORA:-41}' },
    { name: 'inside bash -c', text: `ARG NAME=x\nFROM ${BASE}\nRUN bash -c 'echo $NAME > /etc/name'\n`, at: '$NAME' },
    { name: 'RUN <<EOF script', text: `ARG NAME=x\nFROM ${BASE}\nRUN <<EOF\nset -eux\necho "$NAME" > /etc/name\nEOF\n`, at: '$NAME' },
    { name: 'unquoted heredoc body', text: `ARG NAME=x\nFROM ${BASE}\nRUN cat > /usr/lib/app.conf <<EOF\nname=\${NAME}\nEOF\n`, at: '${NAME}' },
    { name: 'if branch and continuation', text: `ARG DEBUG\nFROM ${BASE}\nRUN set -eux; \\\n    if [ -n "$DEBUG" ]; then dnf -y install gdb; fi && dnf clean all\n`, at: '$DEBUG' },
    { name: 'ENV value', text: `ARG VERSION=1\nFROM ${BASE}\nARG OTHER=1\nLABEL version=$VERSION\n`, at: '$VERSION' },
    { name: 'WORKDIR and twice in one instruction', text: `ARG APP=x\nFROM ${BASE}\nWORKDIR /usr/share/$APP/$APP\n`, at: '$APP' },
    { name: 'mount flag', text: `ARG CACHE=dnf\nFROM ${BASE}\nRUN --mount=type=cache,id=\${CACHE},target=/var/cache/dnf dnf -y install vim\n`, at: '${CACHE}' },
    { name: 'ARG of a builder stage', text: `FROM golang AS build\nARG GOARCH=amd64\nRUN go build\nFROM ${BASE}\nRUN echo \${GOARCH} > /etc/arch\n`, at: '${GOARCH}' },
    { name: 'sudo sh -c', text: `ARG NAME=x\nFROM ${BASE}\nRUN sudo -E sh -c 'echo $NAME > /etc/name'\n`, at: '$NAME' },
    { name: 'LABEL with quotes', text: `ARG VERSION=1\nFROM ${BASE}\nLABEL org.opencontainers.image.version="\${VERSION}"\n`, at: '${VERSION}' },
    { name: 'sh -c in exec form', text: `ARG NAME=x\nFROM ${BASE}\nRUN ["/bin/sh", "-c", "echo $NAME > /etc/name"]\n` },
    { name: 'two stages shipped', text: `ARG V=1\nFROM ${BASE} AS base\nRUN echo $V > /etc/v\nFROM base\nRUN echo $V > /etc/w\n`, count: 2 },
  ],
});

async function fixed(text: string): Promise<string> {
  const [finding] = await findingsOf(text, 'arg-out-of-scope');
  return applyEdits(text, finding.fixes[0].edits);
}

test('arg-out-of-scope: the fix redeclares the ARG at the top of the stage', async () => {
  assert.equal(
    await fixed(`ARG USER=core\nFROM ${BASE}\nRUN true\nCOPY key.pub /home/\${USER}/.ssh/\n`),
    `ARG USER=core\nFROM ${BASE}\nARG USER\nRUN true\nCOPY key.pub /home/\${USER}/.ssh/\n`,
  );
  assert.equal(
    await fixed(`FROM ${BASE} AS base\nARG FLAVOR=server\nFROM base\nRUN echo \${FLAVOR} > /etc/flavor\n`),
    `FROM ${BASE} AS base\nARG FLAVOR=server\nFROM base\nARG FLAVOR=server\nRUN echo \${FLAVOR} > /etc/flavor\n`,
  );
});
