import type { Rule } from '../../rule';
import ignoredCmd from './ignored-cmd';
import ignoredEntrypoint from './ignored-entrypoint';
import ignoredEnv from './ignored-env';
import ignoredExpose from './ignored-expose';
import ignoredUser from './ignored-user';
import ignoredVolume from './ignored-volume';
import ignoredHealthcheck from './ignored-healthcheck';
import ignoredStopsignal from './ignored-stopsignal';

/** Rules of the catalog section "oci-config", in catalog order. */
export const ociConfigRules: Rule[] = [ignoredCmd, ignoredEntrypoint, ignoredEnv, ignoredExpose, ignoredUser, ignoredVolume, ignoredHealthcheck, ignoredStopsignal];
