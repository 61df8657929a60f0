import type { Rule } from '../../rule';

/** opt-writable, usr-etc, boot-content, opt-symlink-to-var, home-content. */
export const optUsrBootHomeRules: Rule[] = [];
