import { defineRule } from '../../rule';
import { describeWrite } from '../../analysis/var-api';

export default defineRule({
  meta: {
    id: 'var-run-dir',
    defaultSeverity: 'error',
    category: 'filesystem',
    description: '/var/run made a real directory instead of the symlink to /run.',
    explanation:
      '/var/run must stay a symlink to /run: as a real directory it is machine-local state that hides what services write to /run, and `bootc container lint` fails on it. Leave /var/run alone and create runtime directories under /run at boot (tmpfiles.d or `RuntimeDirectory=`).',
    fixable: false,
  },
  check(context) {
    const write = context.filesystem().varRunDirectory;
    if (!write) return;
    context.report({
      range: write.range,
      message: `${describeWrite(write)} after /var/run was removed, so /var/run is now a real directory instead of the symlink to /run: on the installed system it is machine-local state that hides /run, and \`bootc container lint\` rejects it. Do not remove /var/run (or recreate it with \`ln -s ../run /var/run\`), and create runtime directories under /run at boot with a tmpfiles.d entry or \`RuntimeDirectory=\`.`,
    });
  },
});
