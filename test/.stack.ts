import { Linter } from '../server/src/lint/lint';
(async () => {
  const l = await Linter.create();
  const text = `ARG X=1\nFROM quay.io/fedora/fedora-bootc:42\nRUN ${Array.from({ length: 10_000 }, (_, i) => `mkdir -p /var/lib/d${i}`).join(' && ')}\n`;
  try { l.lint(text); console.log('ok'); } catch (e) { console.log((e as Error).stack?.split('\n').slice(0, 12).join('\n')); }
})();
