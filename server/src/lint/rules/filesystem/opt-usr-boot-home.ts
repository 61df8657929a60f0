import type { Rule } from '../../rule';
import optWritable from './opt-writable';
import usrEtc from './usr-etc';
import bootContent from './boot-content';
import optSymlinkToVar from './opt-symlink-to-var';
import homeContent from './home-content';

/** opt-writable, usr-etc, boot-content, opt-symlink-to-var, home-content. */
export const optUsrBootHomeRules: Rule[] = [optWritable, usrEtc, bootContent, optSymlinkToVar, homeContent];
