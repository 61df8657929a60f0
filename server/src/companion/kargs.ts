/**
 * Checks of bootc kernel-argument files (`/usr/lib/bootc/kargs.d/*.toml`). bootc parses them
 * strictly (serde `deny_unknown_fields`): `kargs` is a required list of strings and
 * `match-architectures` an optional list of Rust architecture names (std::env::consts::ARCH).
 */
import { parseTomlConfig, type Span } from './config-locations';
import { didYouMean, finding, fix, LineIndex, replace } from './findings';
import type { Finding } from './types';

const RULE = 'kargs-toml';
const KEYS = ['kargs', 'match-architectures'];
const KEY_ALIASES: Record<string, string> = { karg: 'kargs', 'kernel-args': 'kargs', kernelargs: 'kargs', args: 'kargs', append: 'kargs', architectures: 'match-architectures', arch: 'match-architectures', architecture: 'match-architectures', 'match-arch': 'match-architectures' };

/** Architecture names bootc compares against (Rust's std::env::consts::ARCH on Linux). */
export const RUST_ARCHITECTURES: readonly string[] = ['x86_64', 'aarch64', 's390x', 'powerpc64', 'riscv64', 'x86', 'arm', 'loongarch64', 'powerpc', 'riscv32', 'mips', 'mips64', 'mips32r6', 'mips64r6', 'sparc', 'sparc64', 'm68k', 'csky'];

/** Names from uname, Debian or Go/OCI and the Rust name bootc expects instead. */
const ARCHITECTURE_ALIASES: Record<string, string> = {
  amd64: 'x86_64', 'x86-64': 'x86_64', x64: 'x86_64',
  arm64: 'aarch64', armv8: 'aarch64',
  ppc64le: 'powerpc64', ppc64: 'powerpc64', ppc64el: 'powerpc64',
  i386: 'x86', i686: 'x86', '386': 'x86',
  armv7l: 'arm', armhf: 'arm', armhfp: 'arm',
  riscv: 'riscv64', s390: 's390x',
};

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
      const fixed = `[${items.map((item) => JSON.stringify(key === 'kargs' ? item : rustArchitecture(item) ?? item)).join(', ')}]`;
      findings.push(finding(RULE, `'${key}' is a list of strings in a kargs.d file, one ${key === 'kargs' ? 'kernel argument' : 'architecture'} each.`, rangeOf(span), [fix(`Write ${fixed}`, [replace(rangeOf(span), fixed)])]));
      continue;
    }
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      findings.push(finding(RULE, `'${key}' must be a list of strings, such as ${key === 'kargs' ? '["console=ttyS0,115200n8"]' : '["x86_64", "aarch64"]'}.`, rangeOf(span)));
      continue;
    }
    if (key !== 'match-architectures') continue;
    value.forEach((architecture: string, position) => {
      if (RUST_ARCHITECTURES.includes(architecture)) return;
      const elementSpan = locations.valueOrKey([key, position]);
      const range = rangeOf(elementSpan);
      const rust = rustArchitecture(architecture) ?? didYouMean(architecture, RUST_ARCHITECTURES);
      const fixes = rust ? [fix(`Write "${rust}"`, [replace(range, JSON.stringify(rust))])] : [];
      findings.push(finding(RULE, `bootc compares match-architectures with Rust's architecture names (x86_64, aarch64, s390x, powerpc64, riscv64, …), not uname or Debian names: '${architecture}' never matches, so these kernel arguments are never applied.${rust ? ` Write '${rust}'.` : ''}`, range, fixes));
    });
  }
  return findings;
}

/** The Rust name of an architecture written the uname/Debian/Go way. */
function rustArchitecture(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.hasOwn(ARCHITECTURE_ALIASES, lower) ? ARCHITECTURE_ALIASES[lower] : undefined;
}

function splitArguments(value: string): string[] {
  return value.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
}
