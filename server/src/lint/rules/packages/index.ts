import type { Rule } from '../../rule';
import dnfMissingClean from './dnf-missing-clean';
import pkgMissingClean from './pkg-missing-clean';
import dnfAssumeYes from './dnf-assume-yes';
import rpmOstreeUnsupported from './rpm-ostree-unsupported';
import ostreeContainerCommit from './ostree-container-commit';
import kernelSwap from './kernel-swap';
import dnfUpgradeKernel from './dnf-upgrade-kernel';

/** Rules of the catalog section "packages", in catalog order. */
export const packagesRules: Rule[] = [dnfMissingClean, pkgMissingClean, dnfAssumeYes, rpmOstreeUnsupported, ostreeContainerCommit, kernelSwap, dnfUpgradeKernel];
