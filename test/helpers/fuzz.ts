import assert from 'node:assert/strict';
import type { Range } from '../../server/src/lint/types';

/** Deterministic input generators for the robustness (fuzz) tests. */

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)], chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof prng>;

// Realistic bootc Containerfiles: the seeds that truncations and mutations start from.
export const CORPUS = [
  `# syntax=docker/dockerfile:1
ARG BASE=quay.io/fedora/fedora-bootc:42
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/app ./cmd/app

FROM \${BASE}
ARG USER=core
ENV LANG=C.UTF-8
RUN set -eux; \\
    dnf -y install httpd mod_ssl 'tmux' "vim-enhanced" && \\
    dnf clean all && rm -rf /var/cache/{dnf,libdnf5} /var/log/*.log
COPY --from=build /out/app /usr/bin/app
COPY --chmod=0644 app.service /usr/lib/systemd/system/app.service
COPY kargs.toml /usr/lib/bootc/kargs.d/10-console.toml
RUN systemctl enable app.service httpd.service && \\
    useradd -m -G wheel "\${USER}" && echo "\${USER}:changeme" | chpasswd
RUN <<EOF
set -euxo pipefail
mkdir -p /var/lib/app /opt/app
cat > /usr/lib/tmpfiles.d/app.conf <<'CONF'
d /var/lib/app 0755 root root -
CONF
if [ -f /etc/default/grub ]; then grubby --update-kernel=ALL --args="console=ttyS0 quiet"; fi
EOF
LABEL containers.bootc=1 ostree.bootable=1
EXPOSE 80 443/tcp
VOLUME ["/var/lib/app"]
USER root
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost/ || exit 1
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/bin/app", "--serve"]
CMD ["--port=80"]
RUN bootc container lint
`,
  `FROM quay.io/centos-bootc/centos-bootc:stream10 AS base
RUN dnf -y install cloud-init NetworkManager-wifi && \\
    ln -s ../cloud-init.target /usr/lib/systemd/system/default.target.wants && \\
    rm -rf /var/{cache,log}/* /var/lib/dnf
RUN bash -c 'for svc in sshd chronyd; do systemctl enable "$svc"; done' && sh -c "echo \\"$(uname -r)\\" > /tmp/kver"
RUN kver=$(cd /usr/lib/modules && echo *) && dracut -vf /usr/lib/modules/$kver/initramfs.img $kver
RUN sudo env FOO=1 nice -n 5 xargs -a /etc/pkgs dnf install -y || true
ADD https://example.com/tool.tar.gz /tmp/
COPY --chown=1000:1000 <<EOF /etc/motd
Welcome to $HOSTNAME
EOF

FROM base
RUN firewall-cmd --permanent --add-service=http; hostnamectl set-hostname box
RUN echo 'root:password' | chpasswd && usermod -p '$6$abc' root
ENV HTTP_PROXY=http://proxy:3128 API_TOKEN=abc123
RUN rpm-ostree install vim && ostree container commit
`,
  `# bootc-lint: enable
# bootc-lint global ignore=ignored-cmd
FROM corp.example.com/soe/rhel9:latest
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ONBUILD RUN echo hi
# bootc-lint ignore=ignored-entrypoint
ENTRYPOINT /usr/bin/init
CMD echo "unterminated
RUN dnf install -y \\
  # a comment inside a continuation
  podman \\
  && dnf clean all
RUN ["/bin/sh", "-c", "mkdir -p /var/opt/x && touch /run/foo"]
COPY --from=docker.io/library/busybox:latest /bin/busybox /usr/local/bin/
WORKDIR /usr/local/\${APP:-app}
COPY ./*.conf ./
RUN cp -a /etc/skel/. /var/roothome/ && chmod 0700 /var/roothome
`,
  `FROM quay.io/fedora/fedora-bootc:42
RUN --mount=type=secret,id=creds,target=/run/secrets/creds \\
    --mount=type=tmpfs,target=/var/tmp \\
    REG_AUTH_FILE=/run/secrets/creds dnf -y install $(cat /tmp/pkgs.txt | tr '\\n' ' ')
RUN for d in a b c; do mkdir -p "/usr/share/$d" && case "$d" in a) echo A;; *) echo other;; esac; done
RUN (cd /usr/lib && { ln -sf ../share foo; }) | tee /dev/null > /dev/null 2>&1 &
RUN echo $(( 1 + 2 )) \${VAR:+x} \${#VAR} \${VAR//a/b} "\${arr[@]}" <(ls) >(cat)
RUN grub2-mkconfig -o /boot/grub2/grub.cfg; sed -i 's/GRUB_TIMEOUT=5/GRUB_TIMEOUT=1/' /etc/default/grub
COPY id_rsa /root/.ssh/id_rsa
ARG GITHUB_TOKEN
`,
];

const KEYWORDS = ['FROM', 'RUN', 'COPY', 'ADD', 'ENV', 'ARG', 'LABEL', 'EXPOSE', 'VOLUME', 'USER', 'WORKDIR', 'ENTRYPOINT', 'CMD', 'SHELL', 'HEALTHCHECK', 'STOPSIGNAL', 'ONBUILD', 'MAINTAINER', 'from', 'run', 'RUNX', '#', '\\'];
const ARGS = [
  'quay.io/fedora/fedora-bootc:42', 'base', 'build AS base', 'scratch', '--platform=linux/arm64 quay.io/centos-bootc/centos-bootc:stream9 AS x', '${BASE}', '$X:${TAG:-latest}',
  'dnf -y install httpd', 'dnf clean all', 'rm -rf /var/cache', 'useradd -m core', 'systemctl enable foo', 'bootc container lint', 'mkdir -p /var/lib/x',
  'echo "a b" > /etc/x', "bash -c 'echo $(id -u)'", 'sh -c "', "'", '"', '\\', '$(', '`', '${', '}', '{', '<<EOF', '<<-"EOT"', 'EOF', '&&', '||', ';', '|', '&',
  '--mount=type=cache,target=/var/cache/dnf', '--from=build /out /usr/bin/', '--chmod=755 a b /usr/lib/', '["/bin/sh", "-c", "x"]', '["unterminated', '[]', '[', ']',
  'A=1 B="2 3"', 'containers.bootc=1', '80/tcp', '/var/lib/app', 'root', '/usr/local', 'SIGTERM', 'CMD curl x', 'NONE', 'x'.repeat(300), '\t', '   ', '#', '# bootc-lint ignore=ignored-entrypoint',
  'kargs.toml /usr/lib/bootc/kargs.d/', 'grubby --args=quiet', 'dracut -f', 'rpm-ostree install x', 'firewall-cmd --add-port=1/tcp', 'chpasswd <<< root:x', '$(mkpasswd x)', '/run/secrets/x',
];
const SPECIAL = ['"', "'", '\\', '$', '(', ')', '{', '}', '[', ']', '<', '>', '|', '&', ';', '#', '`', '=', '\n', '\r\n', '\r', '\t', ' ', '\0', '\uFFFD', '\u{1F600}', '\uD800', 'é', '\\\n', '<<EOF\n', '$(', '${'];

function truncate(r: Random): string {
  const text = r.pick(CORPUS);
  return text.slice(0, r.int(text.length + 1));
}

function mutate(r: Random): string {
  let text = r.pick(CORPUS);
  const edits = 1 + r.int(8);
  for (let i = 0; i < edits; i++) {
    const at = r.int(text.length + 1);
    switch (r.int(6)) {
      case 0: // delete a span
        text = text.slice(0, at) + text.slice(at + r.int(40));
        break;
      case 1: // insert a special character or sequence (unbalanced quotes, continuations, heredoc starts)
        text = text.slice(0, at) + r.pick(SPECIAL) + text.slice(at);
        break;
      case 2: { // duplicate a span somewhere else
        const from = r.int(text.length + 1);
        const span = text.slice(from, from + r.int(80));
        text = text.slice(0, at) + span + text.slice(at);
        break;
      }
      case 3: { // swap two lines
        const lines = text.split('\n');
        const a = r.int(lines.length);
        const b = r.int(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        text = lines.join('\n');
        break;
      }
      case 4: // drop the closing line of a heredoc or quote: cut after a heredoc start
        text = text.replace(/\nEOF\n|\nCONF\n/, '\n');
        break;
      default: // change the line endings
        text = text.replace(/\n/g, r.pick(['\r\n', '\r', '\n\n', ' \\\n']));
    }
  }
  return text;
}

function soup(r: Random): string {
  const lines: string[] = [];
  if (r.chance(0.7)) lines.push(`FROM ${r.pick(['quay.io/fedora/fedora-bootc:42', 'node:20', '${BASE}', 'base'])}${r.chance(0.3) ? ' AS base' : ''}`);
  const count = r.int(40);
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: r.int(6) }, () => r.pick(ARGS));
    lines.push(`${r.chance(0.1) ? ' '.repeat(r.int(4)) : ''}${r.pick(KEYWORDS)} ${words.join(r.pick([' ', ' \\\n  ', ' && ', '; ']))}`);
  }
  return lines.join(r.pick(['\n', '\n', '\r\n'])) + (r.chance(0.5) ? '\n' : '');
}

function randomBytes(r: Random): string {
  const bytes = new Uint8Array(r.int(2000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = r.chance(0.6) ? 32 + r.int(95) : r.int(256);
  const text = new TextDecoder('utf-8').decode(bytes);
  return r.chance(0.5) ? `FROM quay.io/fedora/fedora-bootc:42\nRUN ${text}` : text;
}

function unterminatedHeredoc(r: Random): string {
  const opener = r.pick(['RUN <<EOF', 'RUN <<-EOF', "RUN <<'EOF' bash", 'RUN cat > /etc/x <<EOF', 'COPY <<EOF /usr/lib/x', 'RUN <<A <<B', 'RUN bash <<"SCRIPT"', 'RUN python3 - <<PY']);
  const body = Array.from({ length: r.int(6) }, () => r.pick(ARGS)).join('\n');
  return `FROM quay.io/fedora/fedora-bootc:42\n${opener}\n${body}${r.chance(0.3) ? '\nEO' : ''}`;
}

function nested(r: Random): string {
  const depth = 50 + r.int(400);
  switch (r.int(6)) {
    case 0:
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN echo ${'$('.repeat(depth)}x${')'.repeat(r.int(depth))}`;
    case 1:
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN ${'{ '.repeat(depth)}true${'; }'.repeat(r.int(depth))}`;
    case 2: {
      let script = 'mkdir -p /var/lib/deep';
      // Quoting doubles the backslashes at every level: 8 to 14 levels stay under 100 KB.
      for (let i = 0; i < 8 + r.int(7); i++) script = `${r.pick(['bash', 'sh', 'sudo bash', 'env A=1 sh'])} -c ${JSON.stringify(script)}`;
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN ${script}`;
    }
    case 3:
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN echo ${'${'.repeat(depth)}X${'}'.repeat(depth)} ${'('.repeat(depth)}`;
    case 4:
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN ${'if true; then '.repeat(depth)}rm -rf /var/cache${'; fi'.repeat(r.int(depth))}`;
    default:
      return `FROM quay.io/fedora/fedora-bootc:42\nRUN ${'sh -c "'.repeat(depth)}echo${'"'.repeat(r.int(depth))}`;
  }
}

/**
 * The handwritten extremes: empty, comments only, huge lines, many continuations, deep
 * nesting. `heavy` ones are linted once (they take a while in the bigger rules).
 */
export function extremes(): Array<{ name: string; text: string; heavy?: boolean }> {
  const mb = 1024 * 1024;
  const bootc = 'FROM quay.io/fedora/fedora-bootc:42\n';
  return [
    { name: 'empty', text: '' },
    { name: 'newline', text: '\n' },
    { name: 'whitespace', text: ' \t\r\n\n  \n' },
    { name: 'only comments', text: '# just a comment\n# bootc-lint: enable\n#\n# syntax=docker/dockerfile:1\n' },
    { name: 'only a directive', text: '# bootc-lint: enable' },
    { name: 'only continuations', text: '\\\n'.repeat(1000) },
    { name: 'FROM only', text: 'FROM' },
    { name: '1 MB RUN line', text: `${bootc}RUN echo ${'a'.repeat(mb)}\n`, heavy: true },
    { name: '1 MB comment', text: `# ${'x'.repeat(mb)}\n${bootc}` },
    { name: '1 MB image name', text: `FROM quay.io/${'bootc'.repeat(mb / 5)}\n`, heavy: true },
    { name: '256 KB of words', text: `${bootc}RUN dnf install -y ${'pkg '.repeat(mb / 16)}\n`, heavy: true },
    { name: '256 KB path without newline', text: `${bootc}COPY ${'x/'.repeat(mb / 8)} /var/lib/`, heavy: true },
    { name: '10k continuations', text: `${bootc}RUN dnf -y install \\\n${'    pkg \\\n'.repeat(10_000)}    last && dnf clean all\n`, heavy: true },
    { name: '10k continuations, no end', text: `${bootc}RUN echo \\\n${'x \\\n'.repeat(10_000)}`, heavy: true },
    { name: '10k continuations in a heredoc', text: `${bootc}RUN <<EOF\nmkdir -p \\\n${' /usr/lib/x \\\n'.repeat(10_000)}\nEOF\n`, heavy: true },
    { name: '10k chained commands', text: `${bootc}RUN ${Array.from({ length: 10_000 }, (_, i) => `mkdir -p /usr/lib/d${i}`).join(' && ')}\n`, heavy: true },
    { name: '2k chained commands with redirects', text: `${bootc}RUN ${Array.from({ length: 2000 }, (_, i) => `echo ${i} > /var/lib/f${i}`).join(' && ')}\n`, heavy: true },
    { name: '1k instructions', text: `${bootc}${Array.from({ length: 1000 }, (_, i) => `RUN touch /var/x${i}`).join('\n')}\n`, heavy: true },
    { name: '1k stages', text: Array.from({ length: 1000 }, (_, i) => `FROM ${i ? `s${i - 1}` : 'quay.io/fedora/fedora-bootc:42'} AS s${i}\nENTRYPOINT x`).join('\n'), heavy: true },
    { name: 'heredoc never closed', text: `${bootc}RUN <<EOF\n${'mkdir -p /var/lib/x\n'.repeat(500)}`, heavy: true },
    { name: '2000 nested $(', text: `${bootc}RUN echo ${'$('.repeat(2000)}x${')'.repeat(1000)}\n`, heavy: true },
    { name: '2000 nested {', text: `${bootc}RUN ${'{ '.repeat(2000)}true${'; }'.repeat(2000)}\n`, heavy: true },
    { name: '1000 nested if', text: `${bootc}RUN ${'if true; then '.repeat(1000)}rm -rf /var/cache${'; fi'.repeat(1000)}\n`, heavy: true },
    { name: 'NUL bytes', text: `${bootc.replace('\n', '\0\n')}RUN \0dnf\0 install x\n\0` },
    { name: 'lone surrogates', text: `${bootc}RUN echo \uD800 \uDFFF > /var/\uD83D\n` },
    { name: 'CR only', text: 'FROM quay.io/fedora/fedora-bootc:42\rRUN dnf install -y x\rENTRYPOINT a\r' },
    { name: 'BOM', text: `\uFEFF${bootc}ENTRYPOINT a\n` },
    { name: 'escape directive', text: `# escape=\`\n${bootc}RUN dnf install -y a \`\n  b\nCOPY a \`\n /var/lib/\n` },
    { name: 'deep ARG chain', text: `${Array.from({ length: 500 }, (_, i) => `ARG A${i}=\${A${i - 1}}x`).join('\n')}\n${bootc}ARG A499\nCOPY a \${A499}/\n` },
    { name: 'self-referencing stages', text: 'FROM a AS b\nFROM b AS a\nFROM a\nENTRYPOINT x\n' },
    { name: 'unterminated sh -c string', text: `${bootc}RUN sh -c "\nmkdir -p /var/lib/x\n` },
  ];
}

/** `count` inputs from every generator, with names for failure messages. */
export function generate(count: number, seed: number): Array<{ name: string; text: string }> {
  const r = prng(seed);
  const generators: Array<[string, (r: Random) => string]> = [
    ['truncation', truncate],
    ['mutation', mutate],
    ['soup', soup],
    ['bytes', randomBytes],
    ['heredoc', unterminatedHeredoc],
    ['nested', nested],
  ];
  const weights = [0.25, 0.3, 0.25, 0.1, 0.05, 0.05];
  const inputs: Array<{ name: string; text: string }> = [];
  for (let i = 0; i < count; i++) {
    let roll = r.next();
    let g = 0;
    while (g < weights.length - 1 && roll >= weights[g]) roll -= weights[g++];
    inputs.push({ name: `${generators[g][0]} #${i} (seed ${seed})`, text: generators[g][1](r) });
  }
  return inputs;
}

/** Line lengths as the core counts them (\n, \r\n and lone \r end a line). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

export function checkRange(range: Range, lengths: number[], what: string): void {
  for (const [label, p] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: integer ${label}`);
    assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: ${label} line ${p.line} outside 0..${lengths.length - 1}`);
    assert.ok(p.character >= 0 && p.character <= lengths[p.line], `${what}: ${label} character ${p.character} outside line ${p.line} (length ${lengths[p.line]})`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: start after end`);
}

