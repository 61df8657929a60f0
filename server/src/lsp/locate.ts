/**
 * `bootc/locate`: the client built an image (or ran `bootc container lint` in it) and asks
 * where in the Containerfile to show what podman or bootc reported.
 */
import { locateBuildFailure, locateImageLintFinding } from '../image/locate';
import { analyzeFilesystem } from '../lint/analysis/filesystem';
import { parseContainerfile } from '../lint/model/containerfile';
import { loadShellParser } from '../lint/shell/parser';
import type { LocateParams, LocateResult } from './protocol';

/** Answers `bootc/locate`. */
export async function handleLocate(params: LocateParams): Promise<LocateResult> {
  await loadShellParser(); // the model parses RUN scripts
  const file = parseContainerfile(params.text, params.target);
  const result: LocateResult = { imageLint: [] };
  if (params.buildFailure) {
    const located = locateBuildFailure(file, params.buildFailure);
    result.buildFailure = { range: located.range, message: params.buildFailure.message, reason: located.reason };
  }
  if (params.imageLintFindings?.length) {
    const filesystem = analyzeFilesystem(file);
    for (const finding of params.imageLintFindings) {
      const located = locateImageLintFinding(file, finding, filesystem);
      result.imageLint.push({ range: located.range, finding, reason: located.reason });
    }
  }
  return result;
}
