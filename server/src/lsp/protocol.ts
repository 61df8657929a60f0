/**
 * Requests the bootc client sends the server beyond standard LSP, with their shapes. Types
 * only: the client bundles this file without pulling server code in.
 */
import type { Range } from 'vscode-languageserver-types';
import type { BuildFailure } from '../image/build-output';
import type { ContainerLintFinding } from '../image/container-lint';

/** `bootc/buildInputs`: what a build of this Containerfile may need the user to provide. */
export const BUILD_INPUTS_REQUEST = 'bootc/buildInputs';

export interface BuildInputsParams {
  uri: string;
  text: string;
}

export interface BuildInputs {
  /** Stages in file order; `name` when the FROM has `AS name`. The last one is built by default. */
  stages: Array<{ name?: string; baseImage: string; line: number }>;
  /** ARGs the file declares without a default: podman substitutes an empty string unless given `--build-arg`. */
  argsWithoutDefault: string[];
  /** `RUN --mount=type=secret` ids: the build fails (or reads nothing) unless a `--secret id=...` is given. */
  secretIds: string[];
}

/** `bootc/locate`: where in the Containerfile to show what podman or bootc reported about the built image. */
export const LOCATE_REQUEST = 'bootc/locate';

export interface LocateParams {
  uri: string;
  /** The Containerfile as it was built (the editor's text may have changed since). */
  text: string;
  /** `--target` of the build: which stages make the image. */
  target?: string;
  buildFailure?: BuildFailure;
  imageLintFindings?: ContainerLintFinding[];
}

export interface LocateResult {
  buildFailure?: { range: Range; message: string; reason: string };
  imageLint: Array<{ range: Range; finding: ContainerLintFinding; reason: string }>;
}
