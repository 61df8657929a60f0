/**
 * `npm run bench:disk`: the disk image and VM numbers of the "Disk images and VMs" issue, with
 * the real tools (rootful podman, qemu) and the bootc-image-builder STAND-IN of the tests (the
 * real builder cannot be pulled here; test/helpers/bib.ts builds the stand-in and tags it with
 * the real builder's name):
 * - the extension's builder run (client/src/commands/builderRun.ts: the command line of
 *   client/src/disk/builder.ts, output streamed line by line into the log and the progress
 *   parser) against the same `podman run` command line run by hand (output to a file), in
 *   alternating order;
 * - Open in VM for the test disk: from the command (acceleration check, overlay, qemu started
 *   paused and resumed once the console is connected) to the first serial output and to the
 *   login line, under TCG here (this machine's /dev/kvm is not hardware KVM).
 * Writes its section of BENCHMARKS.md (between markers; the other sections stay). Goals are
 * reported, never asserted.
 *
 * Options: `--builds N` (pairs of builder runs, default 11), `--boots N` (default 3).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBuilder } from '../client/src/commands/builderRun';
import { BUILD_LOG_NAME, buildArtifacts, builderContainerName, builderRunArgs } from '../client/src/disk/builder';
import { LOGIN_PROMPT } from '../client/src/vm/serial';
import { ensureDiskTestImage, ensureStandInBuilder, standInBuilderAvailable, STAND_IN_BUILDER } from '../test/helpers/bib';
import { bootWithModules } from '../test/helpers/module-vm';
import { testContainersConf, testPodman } from '../test/helpers/podman';
import { qemuAvailable } from '../test/helpers/qemu';

const root = path.resolve(__dirname, '..');
const START = '<!-- disk-benchmarks:start -->';
const END = '<!-- disk-benchmarks:end -->';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a positive whole number`);
  return value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const goal = (ok: boolean) => (ok ? 'met' : '**not met**');

/** The builder's `podman run` as a user would type it, output redirected to a file; resolves with the wall time. */
function byHand(args: string[], log: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fd = fs.openSync(log, 'w');
    const start = performance.now();
    const child = spawn('podman', args, { env: { ...process.env, CONTAINERS_CONF: testContainersConf() }, stdio: ['ignore', fd, fd] });
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - start;
      fs.closeSync(fd);
      if (code !== 0) reject(new Error(`podman ${args.join(' ')} failed (exit ${code}):\n${fs.readFileSync(log, 'utf8')}`));
      else resolve(elapsed);
    });
  });
}

/** CPU milliseconds this process spent in {@link throughModule} runs (the extension's own work: streaming, log, progress). */
const moduleCpu: number[] = [];

/** The same build through the extension's module; resolves with the wall time. */
async function throughModule(args: string[], containerName: string, log: string): Promise<number> {
  let percent = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await runBuilder({ podman: testPodman(), args, containerName, logFile: log, onProgress: (progress) => (percent = progress.percent ?? percent) });
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  moduleCpu.push((used.user + used.system) / 1000);
  if (result.exitCode !== 0) throw new Error(`the builder failed (exit ${result.exitCode}):\n${result.stderr}`);
  if (percent !== 100) throw new Error(`the progress ended at ${percent} %`);
  return elapsed;
}

async function main(): Promise<void> {
  const builds = option('builds', 11);
  const boots = option('boots', 3);
  const unavailable = standInBuilderAvailable() ?? qemuAvailable();
  if (unavailable) throw new Error(`cannot run the disk benchmark: ${unavailable}`);
  const image = ensureDiskTestImage();
  ensureStandInBuilder();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bootc-bench-disk-'));
  try {
    const newOutput = () => fs.mkdtempSync(path.join(work, 'output-'));
    const argsFor = (output: string, containerName: string) => builderRunArgs({ image, builderImage: STAND_IN_BUILDER, types: ['qcow2'], rootfs: 'ext4', outputFolder: output, containerName });

    // Builder: one warm-up of each, then pairs in alternating order.
    const hand: number[] = [];
    const module: number[] = [];
    for (let run = -1; run < builds; run++) {
      const order = run % 2 === 0 ? ['hand', 'module'] : ['module', 'hand'];
      for (const which of order) {
        const output = newOutput();
        const containerName = builderContainerName();
        const args = argsFor(output, containerName);
        const log = path.join(output, BUILD_LOG_NAME);
        const elapsed = which === 'hand' ? await byHand(args, log) : await throughModule(args, containerName, log);
        if (run >= 0) (which === 'hand' ? hand : module).push(elapsed);
        process.stderr.write(`build ${run < 0 ? 'warm-up' : run + 1} ${which}: ${ms(elapsed)} ms\n`);
        fs.rmSync(output, { recursive: true, force: true });
      }
    }
    const handMedian = median(hand);
    const moduleMedian = median(module);
    // Each pair ran back to back: the median of the pairs' ratios cancels the machine's drift.
    const overhead = (median(module.map((time, i) => time / hand[i])) - 1) * 100;
    const totalOverhead = (module.reduce((a, b) => a + b, 0) / hand.reduce((a, b) => a + b, 0) - 1) * 100;
    const cpu = median(moduleCpu.slice(1, builds + 1));
    const cpuShare = (cpu / moduleMedian) * 100;

    // The disk the VM boots.
    const output = newOutput();
    const containerName = builderContainerName();
    await throughModule(argsFor(output, containerName), containerName, path.join(output, BUILD_LOG_NAME));
    const [{ path: disk }] = buildArtifacts(output, ['qcow2']);
    const diskMb = fs.statSync(disk).size / 1024 / 1024;

    const firstOutput: number[] = [];
    const login: number[] = [];
    let acceleration = '';
    for (let boot = 0; boot < boots; boot++) {
      const start = performance.now();
      const vm = await bootWithModules(disk);
      try {
        await vm.serial.waitForPrompt(LOGIN_PROMPT, 300_000);
        login.push(performance.now() - start);
        firstOutput.push(vm.firstOutputMs() ?? NaN);
        acceleration = `${vm.acceleration.accel}: ${vm.acceleration.reason}`;
      } finally {
        await vm.stop(1000);
      }
      process.stderr.write(`boot ${boot + 1}: first output ${ms(firstOutput.at(-1) ?? NaN)} ms, login ${ms(login.at(-1) ?? NaN)} ms\n`);
    }

    const section = `${START}
## Disk images and VMs

Measured by \`npm run bench:disk\` (scripts/bench-disk.ts) on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version},
rootful podman ${podmanVersion()}, ${qemuVersion()}. The builder is the bootc-image-builder **stand-in** of the tests
(test/fixtures/stand-ins/bootc-image-builder, tagged with the real builder's name; the real one cannot be pulled here):
a busybox bootc test image to a ${diskMb.toFixed(0)} MiB qcow2 with \`--type qcow2 --rootfs ext4 --progress debug\`. Times in milliseconds, medians.

| what | measured |
|---|---:|
| builder \`podman run\` by hand (output to a file), ${builds} runs | ${ms(handMedian)} |
| the same command line through the extension (runBuilder: log file, line streaming, progress parser), ${builds} runs | ${ms(moduleMedian)} |
| extension overhead: median of the pairs' ratios (all runs summed) | ${overhead.toFixed(1)} % (${totalOverhead.toFixed(1)} %) |
| CPU the extension's process spends per build (its whole own cost: spawn, streaming, log file, progress) | ${ms(cpu)} (${cpuShare.toFixed(1)} % of the build's wall time) |
| Open in VM → first serial output, ${boots} boots | ${ms(median(firstOutput))} |
| Open in VM → login line on the serial console, ${boots} boots | ${ms(median(login))} |

Acceleration: ${acceleration}
Open in VM is timed as the command does it: acceleration check, copy-on-write overlay, qemu started paused and
resumed over QMP once the serial console is connected (test/helpers/module-vm.ts, the modules of client/src/vm/).

| goal | measured | status |
|---|---|---|
| builder through the extension within 2 % of the same command by hand | ${overhead.toFixed(1)} % wall (the runs vary by more than that; the extension's own CPU: ${cpuShare.toFixed(1)} %) | ${goal(overhead <= 2 && cpuShare <= 2)} |
${END}`;
    const file = path.join(root, 'BENCHMARKS.md');
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
    const start = previous.indexOf(START);
    const end = previous.indexOf(END);
    const next = start >= 0 && end > start ? `${previous.slice(0, start)}${section}${previous.slice(end + END.length)}` : `${previous.replace(/\n*$/, '\n')}\n${section}\n`;
    fs.writeFileSync(file, next);
    console.log(section);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function podmanVersion(): string {
  return /version (\S+)/.exec(spawnText('podman', ['--version']))?.[1] ?? 'unknown';
}

function qemuVersion(): string {
  return /QEMU emulator version \S+/.exec(spawnText('qemu-system-x86_64', ['--version']))?.[0] ?? 'qemu';
}

function spawnText(command: string, args: string[]): string {
  return spawnSync(command, args, { encoding: 'utf8' }).stdout ?? '';
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
