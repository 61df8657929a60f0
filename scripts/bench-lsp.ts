/**
 * Latency of the running language server: time from a one-line `didChange` to the
 * `publishDiagnostics` of that version, on a realistic 1,000-instruction bootc Containerfile.
 * Run: node --import tsx scripts/bench-lsp.ts [--edits 50] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Linter } from '../server/src/lint';
import { LspClient } from '../test/helpers/lsp';
import { generateContainerfile } from './bench-workload';

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const EDITS = Number(args[args.indexOf('--edits') + 1]) || 50;
const INSTRUCTIONS = 1000;

/** CPU time (user + system, ms) used so far by a process, from /proc (Linux), or undefined. */
function processCpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100) ticks
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  if (!args.includes('--no-build')) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  const text = generateContainerfile(INSTRUCTIONS);
  const lines = text.split('\n');
  const client = await LspClient.start();
  const uri = 'untitled:bench/Containerfile';
  const opened = performance.now();
  const first = await client.open(uri, text);
  const openMs = performance.now() - opened;

  // One-line edits spread over the file: a package name typed into a `dnf install` line.
  const editable = lines.flatMap((line, i) => (line.startsWith('RUN dnf -y install ') ? [i] : []));
  const times: number[] = [];
  let serverCpuStart: number | undefined;
  for (let e = 0; e < EDITS + 5; e++) {
    if (e === 5) serverCpuStart = processCpuMs(client.process.pid);
    const line = editable[(e * 37) % editable.length];
    const character = lines[line].indexOf(' && ');
    const started = performance.now();
    const published = client.waitForDiagnostics(uri, client.version(uri) + 1);
    await client.sendChange(uri, [{ range: { start: { line, character }, end: { line, character } }, text: ` pkg${e}` }]);
    await published;
    lines[line] = `${lines[line].slice(0, character)} pkg${e}${lines[line].slice(character)}`;
    if (e >= 5) times.push(performance.now() - started); // the first edits warm up the JIT
  }
  const serverCpuEnd = processCpuMs(client.process.pid);
  await client.stop();

  // The same edits linted in this process: the core's share of the latency.
  const linter = await Linter.create();
  const coreLines = text.split('\n');
  const coreTimes: number[] = [];
  const coreCpu: number[] = [];
  linter.lint(text);
  for (let e = 0; e < EDITS + 5; e++) {
    const line = editable[(e * 37) % editable.length];
    const character = coreLines[line].indexOf(' && ');
    coreLines[line] = `${coreLines[line].slice(0, character)} pkg${e}${coreLines[line].slice(character)}`;
    const started = performance.now();
    const cpu = process.cpuUsage();
    linter.lint(coreLines.join('\n'));
    const used = process.cpuUsage(cpu);
    if (e >= 5) {
      coreTimes.push(performance.now() - started);
      coreCpu.push((used.user + used.system) / 1000);
    }
  }
  coreTimes.sort((a, b) => a - b);
  coreCpu.sort((a, b) => a - b);

  times.sort((a, b) => a - b);
  const result = {
    instructions: INSTRUCTIONS,
    lines: text.split('\n').length,
    diagnostics: first.diagnostics.length,
    openMs: Number(openMs.toFixed(1)),
    edits: times.length,
    medianMs: Number(percentile(times, 50).toFixed(2)),
    p95Ms: Number(percentile(times, 95).toFixed(2)),
    maxMs: Number(times[times.length - 1].toFixed(2)),
    coreMedianMs: Number(percentile(coreTimes, 50).toFixed(2)),
    coreP95Ms: Number(percentile(coreTimes, 95).toFixed(2)),
    /** CPU time rather than wall time: what the numbers would be on an idle machine. */
    coreCpuMedianMs: Number(percentile(coreCpu, 50).toFixed(2)),
    serverCpuMeanMs: serverCpuStart !== undefined && serverCpuEnd !== undefined ? Number(((serverCpuEnd - serverCpuStart) / times.length).toFixed(1)) : undefined,
  };
  console.log(JSON.stringify(result));
  console.log(`one-line change → diagnostics on ${INSTRUCTIONS} instructions: median ${result.medianMs} ms, p95 ${result.p95Ms} ms (open: ${result.openMs} ms); the lint core alone: median ${result.coreMedianMs} ms wall, ${result.coreCpuMedianMs} ms CPU; server CPU per edit: ${result.serverCpuMeanMs} ms`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
