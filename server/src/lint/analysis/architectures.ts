/**
 * Architecture names in `match-architectures` of a bootc kargs.d file. bootc compares them with
 * Rust's `std::env::consts::ARCH`; the rule catalog also lists the kernel's `ppc64le`, so it is
 * accepted beside Rust's `powerpc64`. Shared by the kargs-toml rule (files written in the
 * Containerfile) and the companion-file check (kargs.d files opened on their own).
 */
export const KARGS_ARCHITECTURES: ReadonlySet<string> = new Set([
  'x86_64', 'aarch64', 's390x', 'ppc64le', 'powerpc64', 'riscv64',
  'x86', 'arm', 'loongarch64', 'powerpc', 'riscv32', 'mips', 'mips64', 'mips32r6', 'mips64r6', 'sparc', 'sparc64', 'm68k', 'csky',
]);

/** Names from container platforms (Go/OCI), Debian or uname, and the name that matches instead. */
const RENAMES: Readonly<Record<string, string>> = {
  amd64: 'x86_64', 'x86-64': 'x86_64', x64: 'x86_64',
  arm64: 'aarch64', armv8: 'aarch64',
  ppc64el: 'ppc64le', ppc64: 'powerpc64',
  i386: 'x86', i686: 'x86', '386': 'x86',
  armv7l: 'arm', armhf: 'arm', armhfp: 'arm',
  riscv: 'riscv64', s390: 's390x',
};

/** The matching architecture name for a common wrong spelling of it, if there is one. */
export function renamedArchitecture(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (KARGS_ARCHITECTURES.has(lower) && lower !== name) return lower;
  return Object.hasOwn(RENAMES, lower) ? RENAMES[lower] : undefined;
}
