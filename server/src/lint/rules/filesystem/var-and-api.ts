import type { Rule } from '../../rule';
import varContent from './var-content';
import varRunDir from './var-run-dir';
import apiFilesystemContent from './api-filesystem-content';
import apiDirRemoved from './api-dir-removed';

/** var-content, var-run-dir, api-filesystem-content, api-dir-removed. */
export const varAndApiRules: Rule[] = [varContent, varRunDir, apiFilesystemContent, apiDirRemoved];
