import type { Rule } from '../../rule';
import dracutKver from './dracut-kver';
import kargsViaKargsD from './kargs-via-kargs-d';
import initramfsStale from './initramfs-stale';
import kargsToml from './kargs-toml';

/** Rules of the catalog section "kernel-boot", in catalog order. */
export const kernelBootRules: Rule[] = [dracutKver, kargsViaKargsD, initramfsStale, kargsToml];
