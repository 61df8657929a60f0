import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanSerialText, LOGIN_PROMPT, SerialLines } from '../../client/src/vm/serial';

/** The serial console as lines (client/src/vm/serial.ts): what Open in VM's handle waits on. */

describe('serial lines', () => {
  it('splits chunks into clean lines across chunk boundaries', () => {
    const serial = new SerialLines();
    const seen: string[] = [];
    serial.onLine = (line) => seen.push(line);
    serial.feed('Linux vers');
    serial.feed('ion 6.1.0\r\n\x1b[1;32mOK\x1b[0m\r\nbootc');
    assert.deepEqual(serial.lines, ['Linux version 6.1.0', 'OK']);
    assert.deepEqual(seen, serial.lines);
    assert.equal(serial.partial, 'bootc');
  });

  it('finds a getty prompt that has no line break yet, and a line printed earlier', async () => {
    const serial = new SerialLines();
    const login = serial.waitForPrompt(LOGIN_PROMPT, 60_000);
    serial.feed('Welcome\r\n\r\nbootc-vm login: ');
    assert.equal(await login, 'bootc-vm login: ');
    assert.equal(await serial.waitForLine(/^Welcome$/), 'Welcome');
    assert.equal(await serial.waitForPrompt(LOGIN_PROMPT), 'bootc-vm login: ');
    await assert.rejects(serial.waitForLine(LOGIN_PROMPT, 10), /no serial line matched/, 'a prompt is not a complete line');
  });

  it('does not take a half-written line for a finished one', async () => {
    const serial = new SerialLines();
    const done = serial.waitForLine(/^logged in as /, 60_000);
    serial.feed('logged in as ali');
    serial.feed('ce: 42\r\n');
    assert.equal(await done, 'logged in as alice: 42');
  });

  it('rejects waiting callers when the console ends, with the last lines', async () => {
    const serial = new SerialLines();
    const never = serial.waitForLine(/login:/, 60_000);
    serial.feed('Kernel panic - not syncing\n');
    serial.end('qemu exited (code 1)');
    await assert.rejects(never, /qemu exited \(code 1\).*\n.*Kernel panic/s);
    await assert.rejects(serial.waitForLine(/login:/), /qemu exited/);
  });

  it('gives up after the safety-net timeout, naming the pattern', async () => {
    const serial = new SerialLines();
    await assert.rejects(serial.waitForLine(/never/, 10), /no serial line matched \/never\//);
  });

  it('removes terminal escape sequences and carriage returns', () => {
    assert.equal(cleanSerialText('\x1b[?25l\x1b[2J\x1b[Hlogin:\r'), 'login:');
    assert.match('localhost login: ', LOGIN_PROMPT);
    assert.doesNotMatch('Last login: Sun Nov 22', LOGIN_PROMPT);
  });
});
