/**
 * Checks of bootc kernel-argument files (`/usr/lib/bootc/kargs.d/*.toml`). bootc parses them
 * strictly (serde `deny_unknown_fields`): `kargs` is a required list of strings and
 * `match-architectures` an optional list of architecture names (see lint/analysis/architectures).
 */
import { parseTomlConfig, type Span } from './config-locations';
import { didYouMean, finding, fix, LineIndex, replace } from './findings';
import type { Finding } from './types';
import { KARGS_ARCHITECTURES, renamedArchitecture } from '../lint/analysis/architectures';

const RULE = 'kargs-toml';
const KEYS = ['kargs', 'match-architectures'];
const KEY_ALIASES: Record<string, string> = { karg: 'kargs', 'kernel-args': 'kargs', kernelargs: 'kargs', args: 'kargs', append: 'kargs', architectures: 'match-architectures', arch: 'match-architectures', architecture: 'match-architectures', 'match-arch': 'match-architectures' };

/** Validates one kargs.d TOML file. */
export function validateKargs(text: string): Finding[] {
  const index = new LineIndex(text);
  const parsed = parseTomlConfig(text);
  if (!parsed.ok) {
    return [finding(RULE, `This kargs.d file is not valid TOML (${parsed.error.message}); bootc fails to install or update the image when it cannot read it.`, index.restOfLine(parsed.error.offset))];
  }
  const findings: Finding[] = [];
  const root = parsed.value as Record<string, unknown>;
  const locations = parsed.locations;
  const rangeOf = (span: Span | undefined) => (span ? index.rangeAt(span.start, span.end) : index.rangeAt(0, 0));
  let renamedToKargs = false;
  for (const key of Object.keys(root)) {
    if (KEYS.includes(key)) continue;
    const suggestion = didYouMean(key, KEYS, KEY_ALIASES);
    const occurrences = locations.occurrences([key]);
    const edits = suggestion && !(suggestion in root) ? occurrences.map((location) => replace(rangeOf(location.key), suggestion)) : [];
    if (edits.length > 0 && suggestion === 'kargs') renamedToKargs = true;
    const hint = edits.length > 0 ? ` Did you mean '${suggestion}'?` : '';
    findings.push(finding(RULE, `bootc does not know the key '${key}' in a kargs.d file (only 'kargs' and 'match-architectures'), and refuses the whole file.${hint}`, rangeOf(occurrences[0]?.key), edits.length > 0 ? [fix(`Rename to '${suggestion}'`, edits)] : []));
  }
  if (!('kargs' in root) && !renamedToKargs) {
    findings.push(finding(RULE, 'A kargs.d file needs `kargs`, the list of kernel arguments it adds: `kargs = ["console=ttyS0,115200n8"]`.', index.rangeAt(0, 0)));
  }
  for (const key of KEYS) {
    if (!(key in root)) continue;
    const value = root[key];
    const span = locations.valueOrKey([key]);
    if (typeof value === 'string') {
      const items = key === 'kargs' ? splitArguments(value) : [value];
      const fixed = `[${items.map((item) => JSON.stringify(key === 'kargs' ? item : renamedArchitecture(item) ?? item)).join(', ')}]`;
      findings.push(finding(RULE, `'${key}' is a list of strings in a kargs.d file, one ${key === 'kargs' ? 'kernel argument' : 'architecture'} each.`, rangeOf(span), [fix(`Write ${fixed}`, [replace(rangeOf(span), fixed)])]));
      continue;
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      findings.push(finding(RULE, `'${key}' must be a list of strings, such as ${key === 'kargs' ? '["console=ttyS0,115200n8"]' : '["x86_64", "aarch64"]'}.`, rangeOf(span)));
      continue;
    }
    if (key !== 'match-architectures') continue;
    value.forEach((architecture: string, position) => {
      if (KARGS_ARCHITECTURES.has(architecture)) return;
      const elementSpan = locations.valueOrKey([key, position]);
      const range = rangeOf(elementSpan);
      const rust = renamedArchitecture(architecture) ?? didYouMean(architecture, [...KARGS_ARCHITECTURES]);
      const fixes = rust ? [fix(`Write "${rust}"`, [replace(range, JSON.stringify(rust))])] : [];
      findings.push(finding(RULE, `bootc compares match-architectures with kernel architecture names (x86_64, aarch64, s390x, ppc64le, riscv64, …), not container-platform or Debian names: '${architecture}' never matches, so these kernel arguments are never applied.${rust ? ` Write '${rust}'.` : ''}`, range, fixes));
    });
  }
  return findings;
}

function splitArguments(value: string): string[] {
  return value.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}
