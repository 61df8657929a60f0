import { defineRule, shippedInstructions } from '../../rule';
import { appendCleanup, missingCleanups } from '../../analysis/package-managers';

export default defineRule({
  meta: {
    id: 'dnf-missing-clean',
    defaultSeverity: 'warning',
    category: 'packages',
    description: 'dnf/yum/microdnf installs without `dnf clean all` in the same RUN leave their caches in the image.',
    explanation:
      'dnf keeps repository metadata and downloaded packages under /var/cache; unless the same RUN cleans them, they are frozen into the layer, bloat every update and ship machine state in /var. End the RUN with `dnf clean all`, or mount a cache (`--mount=type=cache,target=/var/cache/libdnf5`).',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'RUN')) {
      const missing = missingCleanups(instruction).find((m) => m.family === 'rpm');
      if (!missing) continue;
      const append = appendCleanup(context.file, instruction, `${missing.manager} clean all`);
      context.report({
        range: missing.command.range,
        message: `${missing.manager} leaves repository metadata and downloaded packages under /var/cache in this layer: the image grows and ships machine state in /var that is never updated. Add \`${missing.manager} clean all\` at the end of the same RUN (or use --mount=type=cache on the cache directory).`,
        fixes: append ? [{ title: `Append \`${missing.manager} clean all\` to the RUN`, edits: [append] }] : [],
      });
    }
  },
});
