import type { Rule } from '../../rule';
import { varAndApiRules } from './var-and-api';
import { optUsrBootHomeRules } from './opt-usr-boot-home';

export const filesystemRules: Rule[] = [...varAndApiRules, ...optUsrBootHomeRules];
