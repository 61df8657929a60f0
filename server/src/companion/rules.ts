/** The table of companion-file checks: ids, default severities and what each teaches. */
import type { CompanionKind, CompanionRule } from './types';

const BIB: readonly CompanionKind[] = ['bib-config-toml', 'bib-config-json'];

/** Every companion-file check, in documentation order. */
export const COMPANION_RULES: readonly CompanionRule[] = [
  {
    id: 'bib-config-syntax',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'The bootc-image-builder config is not valid TOML/JSON.',
    explanation: 'bootc-image-builder reads /config.toml (TOML) or /config.json (JSON) and stops before building anything when the file does not parse.',
  },
  {
    id: 'bib-config-unknown-key',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'A key that bootc-image-builder does not know (often a misspelling).',
    explanation: 'bootc-image-builder decodes its config strictly: a key it does not know (for example `kernal` or `users`) makes it refuse the whole file. The fix renames the key everywhere it is written.',
  },
  {
    id: 'bib-config-unsupported',
    kinds: BIB,
    defaultSeverity: 'warning',
    description: 'A blueprint customization that bootc images do not take.',
    explanation: 'The config is an osbuild blueprint, but a bootc image gets its packages, services, time zone, hostname and so on from the container image. bootc-image-builder only applies user, group, kernel.append, filesystem/disk, installer, iso, fips, directories, files, ignition and sshd customizations; configure the rest in the Containerfile.',
  },
  {
    id: 'bib-config-invalid-value',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'A value of the wrong type or form.',
    explanation: 'Each key has one type: `[[customizations.user]]` is a list of tables, `groups` a list of strings, `minsize` a size such as "10 GiB" or a number of bytes, `mountpoint` a clean absolute path.',
  },
  {
    id: 'bib-config-missing-key',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'A table lacks a key it needs (a user without `name`, …).',
    explanation: 'A user or group needs a `name`, a filesystem a `mountpoint`, a kickstart its `contents`; bootc-image-builder refuses the config otherwise.',
  },
  {
    id: 'bib-config-duplicate-user',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'The same user name is configured twice.',
    explanation: 'Each `[[customizations.user]]` creates one account; two entries with the same name conflict. Merge their keys into one entry.',
  },
  {
    id: 'bib-config-mountpoint',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'A filesystem mountpoint that bootc disk images do not allow.',
    explanation: 'For bootc images, bootc-image-builder allows `/` and `/boot` (to size them) and new filesystems below `/var` — not `/var` itself and not /var/home, /var/lock, /var/mail, /var/mnt, /var/roothome, /var/run, /var/srv or /var/usrlocal. `/usr` and `/etc` come from the image and must stay on the root filesystem. With `--rootfs btrfs` only `/` and `/boot` are allowed.',
  },
  {
    id: 'bib-config-kickstart-users',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'Users or groups next to a custom kickstart.',
    explanation: 'When `[customizations.installer.kickstart]` is given, bootc-image-builder refuses `[[customizations.user]]` and `[[customizations.group]]`: the kickstart is in charge, so create users there (`user --name … --groups wheel`, `sshkey --username … "…"`).',
  },
  {
    id: 'bib-config-kickstart-ostreecontainer',
    kinds: BIB,
    defaultSeverity: 'error',
    description: 'A custom kickstart that installs the image itself.',
    explanation: 'bootc-image-builder adds the `ostreecontainer` command that installs the container image to the kickstart on its own; a second one in `contents` conflicts with it.',
  },
  {
    id: 'bib-config-filesystem-disk',
    kinds: BIB,
    defaultSeverity: 'error',
    description: '`filesystem` and `disk` customizations together.',
    explanation: 'bootc-image-builder lays out the disk either from `[[customizations.filesystem]]` (sizes and extra mountpoints) or from `[customizations.disk]` (full partitioning), never both.',
  },
  {
    id: 'bib-config-plain-password',
    kinds: BIB,
    defaultSeverity: 'info',
    description: 'A user password written in plain text.',
    explanation: 'The password is readable by anyone who can read the config (and its copies in CI logs and repositories). Prefer an SSH `key`, or store a crypt hash: `openssl passwd -6` prints a `$6$…` (SHA-512) hash that bootc-image-builder accepts as `password`.',
  },
  {
    id: 'kargs-toml',
    kinds: ['kargs'],
    defaultSeverity: 'error',
    description: 'A /usr/lib/bootc/kargs.d/*.toml file bootc cannot use.',
    explanation: 'bootc reads /usr/lib/bootc/kargs.d/*.toml strictly: `kargs` (a list of strings) is required, `match-architectures` (a list of kernel architecture names such as x86_64, aarch64, s390x, ppc64le, riscv64) is optional, and any other key makes bootc fail to install or update the image.',
  },
  {
    id: 'sysusers-invalid-line',
    kinds: ['sysusers'],
    defaultSeverity: 'error',
    description: 'A sysusers.d line systemd-sysusers cannot parse.',
    explanation: 'A sysusers.d line is `Type Name ID GECOS Home Shell`, the type one of u, u!, g, m, r; systemd-sysusers skips lines it cannot parse, so the account is silently missing on the booted system.',
  },
  {
    id: 'sysusers-invalid-name',
    kinds: ['sysusers'],
    defaultSeverity: 'error',
    description: 'A user or group name systemd refuses.',
    explanation: 'systemd-sysusers accepts names of at most 31 characters made of letters, digits, `_` and `-` that do not start with a digit or `-`.',
  },
  {
    id: 'sysusers-invalid-id',
    kinds: ['sysusers'],
    defaultSeverity: 'error',
    description: 'An ID column that is not a number, `uid:gid`, a path or `-`.',
    explanation: 'The ID column of a `u` line takes a UID, `UID:GID`, `UID:group`, an absolute path (take the ID of that file) or `-` (allocate one); `g` takes a GID, a path or `-`; `m` the group to join; `r` a range `from-to`. Leaving it to `-` lets each machine allocate a free ID.',
  },
  {
    id: 'sysusers-invalid-field',
    kinds: ['sysusers'],
    defaultSeverity: 'error',
    description: 'A GECOS, home or shell column that is malformed or not taken by the line type.',
    explanation: 'Only `u` lines take GECOS, home and shell; a GECOS with spaces must be quoted, home and shell are absolute paths. Other types need `-` (or nothing) there.',
  },
  {
    id: 'sysusers-duplicate',
    kinds: ['sysusers'],
    defaultSeverity: 'warning',
    description: 'A user or group declared twice.',
    explanation: 'systemd-sysusers uses the first declaration of a user or group and ignores the later ones, so the second line has no effect.',
  },
  {
    id: 'tmpfiles-invalid-line',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A tmpfiles.d line systemd-tmpfiles cannot parse.',
    explanation: 'A tmpfiles.d line is `Type Path Mode User Group Age Argument`; the type is a letter (f w d D e v q Q p L c b C x X r R z Z t T h H a A, some with `+`) with optional modifiers `! - = ~ ^ $ ?`. systemd-tmpfiles skips lines it cannot parse.',
  },
  {
    id: 'tmpfiles-invalid-path',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A path that is not absolute or uses a legacy directory.',
    explanation: 'tmpfiles.d paths are absolute; `/var/run` and `/var/lock` are symlinks into `/run`, so lines name `/run/…` directly.',
  },
  {
    id: 'tmpfiles-invalid-mode',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A mode that is not octal.',
    explanation: 'The mode is up to four octal digits (0755, 1777), optionally prefixed with `~` (mask by the existing mode) or `:` (only on creation), or `-` for the default.',
  },
  {
    id: 'tmpfiles-invalid-owner',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A user or group column that is not a valid name or number.',
    explanation: 'User and group are names or numeric IDs (or `-`). A name must exist when systemd-tmpfiles runs: declare it in sysusers.d so it is created first on the booted system.',
  },
  {
    id: 'tmpfiles-invalid-age',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'An age that is not a time span.',
    explanation: 'The age is a systemd time span such as `10d`, `12h` or `1w 2d`, optionally prefixed with `~` or an age-by selector like `cmA:`; `-` disables cleaning.',
  },
  {
    id: 'tmpfiles-missing-argument',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A line type that needs an argument has none.',
    explanation: '`w` needs the text to write, `c`/`b` a `major:minor` device number, `a`/`A` an ACL, `h`/`H` attributes, `t`/`T` extended attributes. (`L` and `C` without argument are valid: they link or copy from /usr/share/factory.)',
  },
  {
    id: 'tmpfiles-read-only-path',
    kinds: ['tmpfiles'],
    defaultSeverity: 'error',
    description: 'A line that would write below read-only /usr on a booted bootc system.',
    explanation: 'On a booted bootc system /usr is a read-only image: systemd-tmpfiles cannot create or change anything there. Put such content into the image at build time (COPY/RUN in the Containerfile) and use tmpfiles.d for /var, /etc and /run. `/usr/local` is fine: on bootc it is a symlink to /var/usrlocal.',
  },
];

const RULES_BY_ID = new Map(COMPANION_RULES.map((rule) => [rule.id, rule]));

/** The companion check with this id, if any. */
export function companionRuleById(id: string): CompanionRule | undefined {
  return RULES_BY_ID.get(id);
}
