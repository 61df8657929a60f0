/**
 * Bootc: Lint Built Image. Runs `bootc container lint` inside the image and shows each
 * finding on the Containerfile, at the instruction that most likely caused it.
 */
import * as vscode from 'vscode';
import { parseContainerLintOutput, type ContainerLintFinding } from '../../../server/src/image/container-lint';
import { LOCATE_REQUEST, type LocateParams, type LocateResult } from '../../../server/src/lsp/protocol';
import { readSettings } from '../configuration';
import { IMAGE_LINT_SOURCE } from '../imageProblems';
import { lintImage } from '../podman/operations';
import { podmanFor } from '../podmanSetup';
import { requireTrust, showCommandError, type Services } from '../services';
import { OutputTerminal, showOutputTerminal } from '../terminal';
import { readContainerfile, resolveContainerfile } from './containerfiles';
import { pickImage } from './images';
import { toRange } from './ranges';

export interface ImageLintOutcome {
  /** bootc ran and passed (warnings allowed). */
  ok: boolean;
  /** Each finding with the instruction that most likely caused it (line 1 when none), and why that one. */
  findings: Array<{ finding: ContainerLintFinding; range: vscode.Range; reason?: string }>;
  /** bootc could not run at all (no bootc in the image, podman failed). */
  error?: string;
  cancelled?: boolean;
}

export async function lintImageCommand(services: Services, argument: unknown, image?: string): Promise<ImageLintOutcome | undefined> {
  if (!requireTrust('Lint Built Image')) return undefined;
  const containerfile = await resolveContainerfile(argument, 'attach the lint findings to');
  if (!containerfile) return undefined;
  const chosen = image ?? (await pickImage(services, containerfile, 'Lint Built Image: image to run bootc container lint in'));
  if (!chosen) return undefined;
  const pty = new OutputTerminal();
  showOutputTerminal(`Bootc Lint: ${chosen}`, pty);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `bootc container lint in ${chosen}`, cancellable: true }, async (_progress, token) => {
    const cancel = new AbortController();
    token.onCancellationRequested(() => cancel.abort());
    pty.signal.addEventListener('abort', () => cancel.abort());
    try {
      const outcome = await lintBuiltImage(services, containerfile, chosen, pty, cancel.signal);
      publishImageLint(services, containerfile, outcome);
      if (outcome.error) void vscode.window.showErrorMessage(`bootc container lint could not run in ${chosen}: ${outcome.error}`);
      else if (!outcome.cancelled) {
        const count = outcome.findings.length;
        void vscode.window.showInformationMessage(count ? `bootc container lint: ${count} problem${count === 1 ? '' : 's'} in ${chosen}; see the Problems view.` : `bootc container lint: ${chosen} passed.`);
      }
      return outcome;
    } catch (error) {
      await showCommandError('Lint Built Image', error);
      return undefined;
    }
  });
}

/** Runs the lint and locates its findings on the Containerfile; shared by the build, the command and the task. */
export async function lintBuiltImage(services: Services, containerfile: vscode.Uri, image: string, pty: OutputTerminal, signal: AbortSignal, text?: string, target?: string): Promise<ImageLintOutcome> {
  const podman = await podmanFor(readSettings(containerfile));
  pty.writeLine(`Running bootc container lint in ${image}…`, 'info');
  const result = await lintImage(podman, image, { signal, onCommandLine: (line) => pty.writeLine(`$ ${line}`, 'info'), onLine: (line, stream) => pty.writeLine(line, stream) });
  if (result.cancelled) return { ok: false, findings: [], cancelled: true };
  const parsed = parseContainerLintOutput(`${result.stdout}\n${result.stderr}`);
  if (parsed.findings.length === 0 && !parsed.ok && parsed.summary.passed === undefined) {
    const error = notRunnableReason(result.stderr, result.exitCode);
    pty.writeLine(error, 'error');
    return { ok: false, findings: [], error };
  }
  const located = await services.languageClient.request<LocateParams, LocateResult>(LOCATE_REQUEST, {
    uri: containerfile.toString(),
    text: text ?? (await readContainerfile(containerfile)),
    target,
    imageLintFindings: parsed.findings,
  });
  const findings = parsed.findings.map((finding, index) => {
    const place = located?.imageLint[index];
    return { finding, range: place ? toRange(place.range) : new vscode.Range(0, 0, 0, 0), reason: place?.reason };
  });
  pty.writeLine(parsed.ok ? `bootc container lint passed${findings.length ? ` with ${findings.length} warning(s)` : ''}.` : 'bootc container lint failed.', parsed.ok ? 'success' : 'error');
  return { ok: parsed.ok, findings };
}

/** Shows the findings in the Problems view, on the instructions that most likely caused them. */
export function publishImageLint(services: Services, containerfile: vscode.Uri, outcome: ImageLintOutcome): void {
  services.problems.setImageLint(
    containerfile,
    outcome.findings.map(({ finding, range, reason }) => {
      const diagnostic = new vscode.Diagnostic(range, `${finding.message}${reason ? `\n(${reason})` : ''}`, finding.level === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = IMAGE_LINT_SOURCE;
      diagnostic.code = finding.lint;
      return diagnostic;
    }),
  );
}

/** Why bootc gave no lint result: most often the image has no bootc at all. */
function notRunnableReason(stderr: string, exitCode: number | null): string {
  if (/executable file .*not found|no such file or directory/i.test(stderr) && /bootc/.test(stderr)) {
    return 'the image has no bootc executable: is it built FROM a bootc base image (quay.io/fedora/fedora-bootc, quay.io/centos-bootc/centos-bootc, registry.redhat.io/rhel9/rhel-bootc)?';
  }
  const last = stderr.trim().split('\n').pop();
  return last ? `podman run exited with ${exitCode}: ${last}` : `podman run exited with ${exitCode} and printed no lint result.`;
}
