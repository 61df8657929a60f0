import type { Rule } from '../../rule';
import systemctlRuntime from './systemctl-runtime';
import dbusTool from './dbus-tool';
import podmanPullInBuild from './podman-pull-in-build';
import chcon from './chcon';

/** Rules of the catalog section "build-environment", in catalog order. */
export const buildEnvironmentRules: Rule[] = [systemctlRuntime, dbusTool, podmanPullInBuild, chcon];
