import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseContainerfile, ScriptCache } from '../server/src/lint/model/containerfile';
import { expandBraces } from '../server/src/lint/analysis/commands';
import { linter } from './helpers/lint';

async function commandsOf(text: string) {
  await linter();
  const file = parseContainerfile(text);
  return file.instructions.flatMap((i) => i.run?.script.commands ?? []);
}

function textAt(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
  return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
}

test('lists simple commands through lists, pipelines, subshells, if/for/case blocks', async () => {
  const commands = await commandsOf('FROM x\nRUN set -eux; a && b || c; d | e; (f); { g; }; if h; then i; else j; fi; for k in 1 2; do l; done; case $x in y) m;; esac\n');
  assert.deepEqual(commands.map((c) => c.name), ['set', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'l', 'm']);
  const conditional = commands.filter((c) => c.conditional).map((c) => c.name);
  assert.deepEqual(conditional, ['c', 'i', 'j', 'm']);
});

test('strips wrappers and finds the real command', async () => {
  const commands = await commandsOf('FROM x\nRUN sudo -u root env A=1 nice -n 5 time dnf install -y x && find / | xargs -r rm -f && /usr/bin/dnf clean all\n');
  assert.deepEqual(commands.map((c) => c.name), ['dnf', 'find', 'rm', 'dnf']);
  assert.deepEqual(commands[0].args.map((w) => w.text), ['install', '-y', 'x']);
});

test('parses sh -c / bash -c strings and bash heredoc scripts as commands, cat heredocs as data', async () => {
  const text = "FROM x\nRUN bash -c 'mkdir -p /var/lib/a && touch /var/lib/a/b' && sh -ec \"rm -rf /tmp/x\"\nRUN cat > /etc/x.conf <<EOF\nmkdir /not/a/command\nEOF\nRUN bash <<EOF\nuseradd bob\nEOF\nRUN bash -euo pipefail -c 'dnf5 -y swap a b'\n";
  const commands = await commandsOf(text);
  assert.deepEqual(commands.map((c) => c.name), ['bash', 'mkdir', 'touch', 'sh', 'rm', 'cat', 'bash', 'useradd', 'bash', 'dnf5']);
  const mkdir = commands[1];
  assert.equal(textAt(text, mkdir.args[1].range), '/var/lib/a', 'ranges inside single-quoted scripts are exact');
  const cat = commands.find((c) => c.name === 'cat')!;
  assert.equal(cat.heredoc?.body, 'mkdir /not/a/command\n');
  assert.equal(cat.redirects[0].target?.text, '/etc/x.conf');
});

test('RUN <<EOF heredoc scripts, continuation lines and Containerfile comments inside them', async () => {
  const text = 'FROM x\nRUN <<EOF\nset -e\ndnf -y install a\nEOF\nRUN dnf -y install b \\\n# a comment the builder strips\n    && dnf clean all\n';
  const commands = await commandsOf(text);
  assert.deepEqual(commands.map((c) => c.name), ['set', 'dnf', 'dnf', 'dnf']);
  assert.equal(textAt(text, commands[1].range), 'dnf -y install a');
  assert.equal(textAt(text, commands[3].range), 'dnf clean all');
});

test('exec form: sh -c is parsed, other commands are one command', async () => {
  const commands = await commandsOf('FROM x\nRUN ["/bin/sh", "-c", "dnf -y install a && dnf clean all"]\nRUN ["dnf", "-y", "install", "b"]\n');
  assert.deepEqual(commands.map((c) => `${c.name} ${c.args.map((a) => a.text).join(' ')}`), ['dnf -y install a', 'dnf clean all', 'dnf -y install b']);
});

test('substitutes ARG/ENV values, shell variables and tracks cd', async () => {
  const commands = await commandsOf('ARG G=/global\nFROM x\nARG DIR=/var/lib/app\nENV CONF=/etc/app\nRUN mkdir -p ${DIR} "$CONF" $G $UNKNOWN && D=/opt/x; cd /srv && touch $D/y file\n');
  const mkdir = commands[0];
  assert.deepEqual(mkdir.args.map((a) => a.text), ['-p', '/var/lib/app', '/etc/app', '$G', '$UNKNOWN']);
  assert.deepEqual(mkdir.args.map((a) => a.dynamic), [false, false, false, true, true], 'a global ARG is not in scope inside a stage');
  const touch = commands.find((c) => c.name === 'touch')!;
  assert.equal(touch.args[0].text, '/opt/x/y');
  assert.equal(touch.cwd, '/srv');
});

test('brace expansion', () => {
  assert.deepEqual(expandBraces('/var/{cache,log}'), ['/var/cache', '/var/log']);
  assert.deepEqual(expandBraces('/var/lib/{dnf,rhsm}/{a,b}'), ['/var/lib/dnf/a', '/var/lib/dnf/b', '/var/lib/rhsm/a', '/var/lib/rhsm/b']);
  assert.deepEqual(expandBraces('${X}/a'), ['${X}/a']);
  assert.deepEqual(expandBraces('{single}'), ['{single}']);
});

test('the script cache reuses parses of moved instructions with shifted ranges', async () => {
  await linter();
  const cache = new ScriptCache();
  const body = 'RUN dnf -y install a && \\\n    touch /etc/x\n';
  const first = parseContainerfile(`FROM x\n${body}`, undefined, cache);
  const moved = parseContainerfile(`FROM x\nLABEL a=b\n\n${body}`, undefined, cache);
  const a = first.instructions[1].run!.script.commands[1];
  const b = moved.instructions[2].run!.script.commands[1];
  assert.equal(b.range.start.line, a.range.start.line + 2);
  assert.equal(b.range.start.character, a.range.start.character);
  assert.equal(b.args[0].text, '/etc/x');
});


test('the script cache gives each WORKDIR its own working directory, with and without cd', async () => {
  await linter();
  const text = [
    'FROM x',
    'WORKDIR /a',
    'RUN touch x && sh -c "touch y"',
    'WORKDIR /b',
    'RUN touch x && sh -c "touch y"',
    'RUN cd sub && touch z',
    'WORKDIR /c',
    'RUN touch x && sh -c "touch y"',
    'RUN cd sub && touch z',
    'WORKDIR /a',
    'RUN cd sub && touch z',
    'RUN touch x && sh -c "touch y"',
    '',
  ].join('\n');
  const cached = parseContainerfile(text, undefined, new ScriptCache());
  const fresh = parseContainerfile(text);
  for (let i = 0; i < fresh.instructions.length; i++) assert.deepEqual(cached.instructions[i].run?.script, fresh.instructions[i].run?.script, `instruction ${i}`);
  const cwds = (n: number) => cached.instructions[n].run!.script.commands.map((c) => c.cwd);
  assert.deepEqual(cwds(4), ['/b', '/b', '/b']);
  assert.deepEqual(cwds(5), ['/b', '/b/sub']);
  assert.deepEqual(cwds(8), ['/c', '/c/sub']);
  assert.deepEqual(cwds(10), ['/a', '/a/sub']);
  assert.deepEqual(cwds(11), ['/a', '/a', '/a']);
});
