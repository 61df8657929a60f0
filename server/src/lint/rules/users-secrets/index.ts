import type { Rule } from '../../rule';
import sysusers from './sysusers';
import passwdEdit from './passwd-edit';
import secretInImage from './secret-in-image';
import secretCopiedIntoImage from './secret-copied-into-image';

/** Rules of the catalog section "Users, groups and secrets", in catalog order. */
export const usersSecretsRules: Rule[] = [sysusers, passwdEdit, secretInImage, secretCopiedIntoImage];
