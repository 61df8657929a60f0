/**
 * Where hovers and completion items send the user to read more. One place, so a moved page is
 * fixed once. The bootc documentation moved from containers.github.io to bootc-dev.github.io.
 */

/** Root of the bootc project documentation (mdBook; pages end in `.html`). */
export const BOOTC_DOCS_ROOT = 'https://bootc-dev.github.io/bootc';

const SYSTEMD_MAN = 'https://www.freedesktop.org/software/systemd/man/latest';
const DOCKERFILE_REFERENCE = 'https://docs.docker.com/reference/dockerfile';

/** Documentation pages, by topic. */
export const DOCS = {
  filesystem: `${BOOTC_DOCS_ROOT}/filesystem.html`,
  filesystemUsr: `${BOOTC_DOCS_ROOT}/filesystem.html#usr`,
  filesystemUsrLocal: `${BOOTC_DOCS_ROOT}/filesystem.html#usrlocal`,
  filesystemEtc: `${BOOTC_DOCS_ROOT}/filesystem.html#etc`,
  filesystemVar: `${BOOTC_DOCS_ROOT}/filesystem.html#var`,
  filesystemOpt: `${BOOTC_DOCS_ROOT}/filesystem.html#opt`,
  filesystemOther: `${BOOTC_DOCS_ROOT}/filesystem.html#other-directories`,
  filesystemSysroot: `${BOOTC_DOCS_ROOT}/filesystem-sysroot.html`,
  guidance: `${BOOTC_DOCS_ROOT}/building/guidance.html`,
  runtime: `${BOOTC_DOCS_ROOT}/building/bootc-runtime.html`,
  usersAndGroups: `${BOOTC_DOCS_ROOT}/building/users-and-groups.html`,
  kernelArguments: `${BOOTC_DOCS_ROOT}/building/kernel-arguments.html`,
  secrets: `${BOOTC_DOCS_ROOT}/building/secrets.html`,
  logicallyBoundImages: `${BOOTC_DOCS_ROOT}/logically-bound-images.html`,
  installConfig: `${BOOTC_DOCS_ROOT}/man/bootc-install-config.5.html`,
  containerLint: `${BOOTC_DOCS_ROOT}/man/bootc-container-lint.8.html`,
  upgrades: `${BOOTC_DOCS_ROOT}/upgrades.html`,
  sysusers: `${SYSTEMD_MAN}/sysusers.d.html`,
  tmpfiles: `${SYSTEMD_MAN}/tmpfiles.d.html`,
  systemdUnit: `${SYSTEMD_MAN}/systemd.unit.html`,
  systemdExec: `${SYSTEMD_MAN}/systemd.exec.html`,
  systemdKill: `${SYSTEMD_MAN}/systemd.kill.html`,
  systemdMount: `${SYSTEMD_MAN}/systemd.mount.html`,
  systemdPreset: `${SYSTEMD_MAN}/systemd.preset.html`,
  systemdSystemConf: `${SYSTEMD_MAN}/systemd-system.conf.html`,
  environmentD: `${SYSTEMD_MAN}/environment.d.html`,
  sysctlD: `${SYSTEMD_MAN}/sysctl.d.html`,
  quadlet: 'https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html',
  fedoraBootc: 'https://docs.fedoraproject.org/en-US/bootc/',
  rhelImageMode: 'https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/10/html/using_image_mode_for_rhel_to_build_deploy_and_manage_operating_systems/index',
  fedoraAtomicDesktops: 'https://fedoraproject.org/atomic-desktops/',
  universalBlue: 'https://universal-blue.org/',
  bootcrew: 'https://github.com/bootcrew',
} as const;

/** The Dockerfile reference section of an instruction (`RUN` → `…/dockerfile/#run`). */
export function dockerfileReference(keyword: string): string {
  return `${DOCKERFILE_REFERENCE}/#${keyword.toLowerCase()}`;
}

/** A markdown link line: `[title](url)`. */
export function docsLink(title: string, url: string): string {
  return `[${title}](${url})`;
}
