import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Linter } from '../server/src/lint/lint';
import { ruleById } from '../server/src/lint/rules';
import type { LintOptions, LintResult, Range, TextEdit } from '../server/src/lint/types';
import { removeTree, runCli, tempTree } from './helpers/cli';
import { linter } from './helpers/lint';

/**
 * Robustness: thousands of generated inputs (deterministic, seeded) must never make the core
 * throw or hang, and every result must be well-formed. A few hundred go through the CLI too.
 * Hangs are caught by the tests' own timeouts, not by assertions on speed.
 */

const SEED = Number(process.env.BOOTC_LINT_FUZZ_SEED ?? 0x5eed);

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number) {
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
type Random = ReturnType<typeof prng>;

// Realistic bootc Containerfiles: the seeds that truncations and mutations start from.
const CORPUS = [
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
      for (let i = 0; i < 12 + r.int(20); i++) script = `bash -c ${JSON.stringify(script)}`;
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

/** The handwritten extremes: empty, comments only, huge lines, many continuations. */
function extremes(): Array<{ name: string; text: string }> {
  const mb = 1024 * 1024;
  return [
    { name: 'empty', text: '' },
    { name: 'newline', text: '\n' },
    { name: 'whitespace', text: ' \t\r\n\n  \n' },
    { name: 'only comments', text: '# just a comment\n# bootc-lint: enable\n#\n# syntax=docker/dockerfile:1\n' },
    { name: 'only a directive', text: '# bootc-lint: enable' },
    { name: 'only continuations', text: '\\\n'.repeat(1000) },
    { name: '1 MB RUN line', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN echo ${'a'.repeat(mb)}\n` },
    { name: '1 MB of words', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN dnf install -y ${'pkg '.repeat(mb / 4)}\n` },
    { name: '1 MB comment', text: `# ${'x'.repeat(mb)}\nFROM quay.io/fedora/fedora-bootc:42\n` },
    { name: '1 MB image name', text: `FROM quay.io/${'bootc'.repeat(mb / 5)}\n` },
    { name: '1 MB without newline', text: `FROM quay.io/fedora/fedora-bootc:42\nCOPY ${'x/'.repeat(mb / 2)} /var/lib/` },
    { name: '10k continuations', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN dnf -y install \\\n${'    pkg \\\n'.repeat(10_000)}    last && dnf clean all\n` },
    { name: '10k continuations, no end', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN echo \\\n${'x \\\n'.repeat(10_000)}` },
    { name: '10k chained commands', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN ${Array.from({ length: 10_000 }, (_, i) => `mkdir -p /var/lib/d${i}`).join(' && ')}\n` },
    { name: '5k instructions', text: `FROM quay.io/fedora/fedora-bootc:42\n${Array.from({ length: 5000 }, (_, i) => `RUN touch /var/x${i}`).join('\n')}\n` },
    { name: '2k stages', text: Array.from({ length: 2000 }, (_, i) => `FROM ${i ? `s${i - 1}` : 'quay.io/fedora/fedora-bootc:42'} AS s${i}\nENTRYPOINT x`).join('\n') },
    { name: 'heredoc never closed', text: `FROM quay.io/fedora/fedora-bootc:42\nRUN <<EOF\n${'mkdir -p /var/lib/x\n'.repeat(2000)}` },
    { name: 'NUL bytes', text: 'FROM quay.io/fedora/fedora-bootc:42\0\nRUN \0dnf\0 install x\n\0' },
    { name: 'lone surrogates', text: 'FROM quay.io/fedora/fedora-bootc:42\nRUN echo \uD800 \uDFFF > /var/\uD83D\n' },
    { name: 'CR only', text: 'FROM quay.io/fedora/fedora-bootc:42\rRUN dnf install -y x\rENTRYPOINT a\r' },
    { name: 'BOM', text: '\uFEFFFROM quay.io/fedora/fedora-bootc:42\nENTRYPOINT a\n' },
    { name: 'escape directive', text: '# escape=`\nFROM quay.io/fedora/fedora-bootc:42\nRUN dnf install -y a `\n  b\nCOPY a `\n /var/lib/\n' },
    { name: 'deep ARG chain', text: `${Array.from({ length: 500 }, (_, i) => `ARG A${i}=\${A${i - 1}}x`).join('\n')}\nFROM quay.io/fedora/fedora-bootc:42\nARG A499\nCOPY a \${A499}/\n` },
    { name: 'self-referencing stages', text: 'FROM a AS b\nFROM b AS a\nFROM a\nENTRYPOINT x\n' },
  ];
}

/** `count` inputs from every generator, with names for failure messages. */
function generate(count: number, seed: number): Array<{ name: string; text: string }> {
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
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function checkRange(range: Range, lengths: number[], what: string): void {
  for (const [label, p] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character), `${what}: integer ${label}`);
    assert.ok(p.line >= 0 && p.line < lengths.length, `${what}: ${label} line ${p.line} outside 0..${lengths.length - 1}`);
    assert.ok(p.character >= 0 && p.character <= lengths[p.line], `${what}: ${label} character ${p.character} outside line ${p.line} (length ${lengths[p.line]})`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: start after end`);
}

function checkResult(result: LintResult, text: string, name: string): void {
  assert.equal(typeof result.bootc.enabled, 'boolean');
  assert.equal(typeof result.bootc.reason, 'string');
  assert.ok(Array.isArray(result.findings));
  const lengths = lineLengths(text);
  for (const f of result.findings) {
    const what = `${name}: ${f.ruleId}`;
    assert.ok(ruleById(f.ruleId), `${what}: registered rule`);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity), `${what}: severity ${f.severity}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, `${what}: message`);
    checkRange(f.range, lengths, `${what} range`);
    assert.ok(Array.isArray(f.fixes), `${what}: fixes`);
    for (const fix of f.fixes) {
      assert.ok(typeof fix.title === 'string' && fix.title.length > 0, `${what}: fix title`);
      assert.ok(Array.isArray(fix.edits), `${what}: fix edits`);
      fix.edits.forEach((edit: TextEdit) => {
        checkRange(edit.range, lengths, `${what} fix edit`);
        assert.equal(typeof edit.newText, 'string', `${what}: fix edit text`);
      });
    }
  }
}

const OPTION_SETS: LintOptions[] = [
  { config: { mode: 'always' } },
  {},
  { config: { mode: 'always', rules: Object.fromEntries([['ignored-entrypoint', 'off']]) }, target: 'base', readContextFile: () => 'kargs = ["console=ttyS0"]\n' },
  { config: { bootcImages: ['**'] }, readContextFile: (p) => (p.length % 2 ? undefined : '\0garbage[[[') },
];

function exercise(l: Linter, input: { name: string; text: string }, index: number, fixAll: boolean): void {
  const options = OPTION_SETS[index % OPTION_SETS.length];
  let result: LintResult;
  try {
    result = l.lint(input.text, options);
  } catch (error) {
    assert.fail(`lint threw on ${input.name}: ${(error as Error).stack}\n--- input (first 500 chars) ---\n${JSON.stringify(input.text.slice(0, 500))}`);
  }
  checkResult(result, input.text, input.name);
  if (!fixAll) return;
  let fixed: ReturnType<Linter['fixAll']>;
  try {
    fixed = l.fixAll(input.text, options);
  } catch (error) {
    assert.fail(`fixAll threw on ${input.name}: ${(error as Error).stack}\n--- input (first 500 chars) ---\n${JSON.stringify(input.text.slice(0, 500))}`);
  }
  assert.equal(typeof fixed.text, 'string');
  assert.ok(Number.isInteger(fixed.applied) && fixed.applied >= 0);
  checkResult(fixed.result, fixed.text, `${input.name} after fixAll`);
}

const GENERATED = 4000;

test('the core survives the extremes', { timeout: 60_000 }, async () => {
  const l = await linter();
  extremes().forEach((input, i) => {
    for (let o = 0; o < 2; o++) exercise(l, input, i + o, true);
  });
});

test(`the core survives ${GENERATED} generated inputs`, { timeout: 120_000 }, async () => {
  const l = await linter();
  generate(GENERATED, SEED).forEach((input, i) => exercise(l, input, i, i % 4 === 0));
});

test('the core gives the same result for the same input', { timeout: 30_000 }, async () => {
  const l = await linter();
  for (const input of generate(200, SEED + 1)) {
    const options = { config: { mode: 'always' as const } };
    const strip = (r: LintResult) => JSON.stringify(r);
    assert.equal(strip(l.lint(input.text, options)), strip(l.lint(input.text, options)), input.name);
  }
});

const dirs: string[] = [];
after(() => dirs.forEach(removeTree));

interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  fixable: boolean;
}

function checkCliJson(stdout: string, files: Map<string, string>): JsonFinding[] {
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(stdout);
  } catch (error) {
    assert.fail(`the CLI printed invalid JSON (${(error as Error).message}): ${stdout.slice(0, 300)}`);
  }
  assert.ok(Array.isArray(findings));
  for (const f of findings) {
    const text = files.get(f.file);
    assert.ok(text !== undefined, `finding for an unknown file ${f.file}`);
    assert.ok(ruleById(f.rule), f.rule);
    assert.ok(['error', 'warning', 'info', 'hint'].includes(f.severity));
    assert.equal(typeof f.message, 'string');
    assert.equal(typeof f.fixable, 'boolean');
    checkRange({ start: { line: f.line - 1, character: f.column - 1 }, end: { line: f.endLine - 1, character: f.endColumn - 1 } }, lineLengths(text.replace(/^\uFEFF/, '')), `${f.file} ${f.rule}`);
  }
  return findings;
}

for (const [batch, args] of [
  [0, ['--format', 'json', '--mode', 'always']],
  [1, ['--format', 'json', '--fix', '--mode', 'always']],
  [2, ['--format', 'json']],
] as const) {
  test(`the CLI survives a batch of generated files (${args.join(' ')})`, { timeout: 120_000 }, async () => {
    const inputs = [...generate(300, SEED + 100 + batch), ...(batch === 0 ? extremes().filter((e) => e.text.length < 200_000) : [])];
    const dir = tempTree(Object.fromEntries(inputs.map((input, i) => [`case-${String(i).padStart(4, '0')}.containerfile`, input.text])));
    dirs.push(dir);
    const files = new Map(inputs.map((input, i) => [`case-${String(i).padStart(4, '0')}.containerfile`, input.text]));
    const binary = [...files].filter(([, text]) => Buffer.from(text).subarray(0, 8192).includes(0)).map(([name]) => name);

    const run = await runCli([...args, '.'], { cwd: dir, timeout: 110_000 });
    assert.ok(run.code === 0 || run.code === 1 || run.code === 2, `exit code ${run.code}; stderr:\n${run.stderr.slice(0, 2000)}`);
    assert.equal(run.code === 2, binary.length > 0, `exit 2 exactly when a binary file was given; stderr:\n${run.stderr.slice(0, 2000)}`);
    for (const name of binary) assert.ok(run.stderr.includes(`${name}: binary`), `${name} is named on stderr`);
    assert.ok(!/internal error/.test(run.stderr), run.stderr.slice(0, 2000));

    if (batch === 1) {
      // After --fix the files hold the fixed text, and linting them again reports the same findings.
      for (const name of files.keys()) files.set(name, new TextDecoder().decode(fs.readFileSync(path.join(dir, name))));
      const findings = checkCliJson(run.stdout, files);
      const again = await runCli(['--format', 'json', '--mode', 'always', '.'], { cwd: dir, timeout: 110_000 });
      assert.deepEqual(checkCliJson(again.stdout, files), findings, 'linting the fixed files reports what --fix left');
    } else {
      const findings = checkCliJson(run.stdout, files);
      assert.equal(run.code === 1, findings.some((f) => f.severity === 'error') && binary.length === 0);
    }
  });
}
