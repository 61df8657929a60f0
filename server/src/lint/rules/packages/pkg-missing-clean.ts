import { defineRule, shippedInstructions } from '../../rule';
import { appendCleanup, missingCleanups, type PackageFamily } from '../../analysis/package-managers';

const WHERE: Record<PackageFamily, string> = {
  rpm: '/var/cache',
  apt: 'the package lists in /var/lib/apt/lists (and .deb files in /var/cache/apt)',
  pacman: 'downloaded packages in /var/cache/pacman/pkg',
  zypper: 'repository metadata and packages in /var/cache/zypp',
};

export default defineRule({
  meta: {
    id: 'pkg-missing-clean',
    defaultSeverity: 'warning',
    category: 'packages',
    description: 'apt-get, pacman or zypper installs without cleaning their caches in the same RUN.',
    explanation:
      'Package lists and downloaded packages left by apt-get, pacman or zypper are frozen into the layer: the image grows and ships machine state in /var that later images never update. Clean them at the end of the same RUN (`apt-get clean && rm -rf /var/lib/apt/lists/*`, `pacman -Scc --noconfirm`, `zypper clean --all`) or use a cache mount.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const missing = missingCleanups(instruction).filter((m) => m.family !== 'rpm');
      if (missing.length === 0) continue;
      const first = missing[0];
      const cleanup = missing.flatMap((m) => m.cleanup).join(' && ');
      const append = appendCleanup(context.file, instruction, cleanup);
      context.report({
        range: first.command.range,
        message: `${first.manager} leaves ${WHERE[first.family]} in this layer: the image grows and ships machine state in /var that is never updated. Add \`${first.cleanup.join(' && ')}\` at the end of the same RUN (or use --mount=type=cache on the cache directory).`,
        fixes: append ? [{ title: `Append \`${cleanup}\` to the RUN`, edits: [append] }] : [],
      });
    }
  },
});
