import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';

/**
 * The "Get Started with bootc" walkthrough and the New bootc Project contribution in
 * package.json, and the walkthrough's pages in media/walkthrough/.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const MEDIA = path.join(ROOT, 'media', 'walkthrough');
const DOCS = 'https://osbuild.org/docs/bootc/';
/** Commands of VS Code itself that the walkthrough may link to. */
const BUILT_IN_COMMANDS = new Set(['workbench.actions.view.problems']);

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Contributes {
  commands: { command: string; title?: string; category?: string; enablement?: string }[];
  menus?: Record<string, { command: string; when?: string }[]>;
  walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[];
}

const contributes = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: Contributes }).contributes;

function walkthrough() {
  const found = contributes.walkthroughs?.find((candidate) => candidate.id === 'bootc.gettingStarted');
  assert.ok(found, 'no bootc.gettingStarted walkthrough');
  return found;
}

/** `command:` targets of markdown links. */
function linkedCommands(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(command:([\w.]+)(?:\?[^)]*)?\)/g)].map((match) => match[1]);
}

describe('New bootc Project', () => {
  test('is a Bootc command that untrusted workspaces may run', () => {
    const command = contributes.commands.find((candidate) => candidate.command === 'bootc.newProject');
    assert.ok(command, 'bootc.newProject is not contributed');
    assert.equal(command.title, 'New bootc Project');
    assert.equal(command.category, 'Bootc');
    assert.equal(command.enablement, undefined, 'writing a template runs nothing: it needs no trust');
    for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
      for (const item of items.filter((candidate) => candidate.command === 'bootc.newProject')) {
        assert.doesNotMatch(item.when ?? '', /isWorkspaceTrusted/, `${menu} hides it in untrusted workspaces`);
      }
    }
  });
});

describe('the Get Started with bootc walkthrough', () => {
  test('has six steps from a new project to a booted VM', () => {
    const { title, steps } = walkthrough();
    assert.equal(title, 'Get Started with bootc');
    assert.deepEqual(
      steps.map((step) => step.media.markdown),
      ['new-project', 'lint-as-you-type', 'build-image', 'lint-image', 'disk-image', 'boot-vm'].map((page) => `media/walkthrough/${page}.md`),
    );
    assert.equal(new Set(steps.map((step) => step.id)).size, steps.length, 'step ids repeat');
  });

  test('every step completes on what it teaches', () => {
    const events = walkthrough().steps.map((step) => step.completionEvents ?? []);
    assert.ok(events[0].includes('onCommand:bootc.newProject'));
    assert.ok(events[1].some((event) => /^onContext:.*dockerfile/.test(event)));
    assert.ok(events[2].includes('onCommand:bootc.buildImage'));
    assert.ok(events[3].includes('onCommand:bootc.lintImage'));
    for (const index of [4, 5]) {
      assert.ok(events[index].includes(`onLink:${DOCS}`), `step ${index + 1} does not complete on the bootc-image-builder docs`);
      assert.ok(events[index].some((event) => event.startsWith('onCommand:bootc.')), `step ${index + 1} has no command event`);
    }
    for (const [index, step] of walkthrough().steps.entries()) {
      for (const event of step.completionEvents ?? []) {
        if (!event.startsWith('onLink:')) continue;
        assert.ok(step.description.includes(`](${event.slice('onLink:'.length)})`), `step ${index + 1} completes on a link it does not show`);
      }
    }
  });

  test('the media pages exist, each is used, and each has a title', () => {
    const used = walkthrough().steps.map((step) => step.media.markdown ?? step.media.image ?? '');
    const present = fs.readdirSync(MEDIA).map((file) => `media/walkthrough/${file}`);
    assert.deepEqual([...used].sort(), [...present].sort());
    for (const page of used) assert.match(fs.readFileSync(path.join(ROOT, page), 'utf8'), /^# \S/, `${page} has no title`);
  });

  test('every linked command exists', () => {
    const contributed = new Set(contributes.commands.map((command) => command.command));
    const texts = [
      ...walkthrough().steps.map((step) => step.description),
      ...walkthrough().steps.map((step) => fs.readFileSync(path.join(ROOT, step.media.markdown ?? ''), 'utf8')),
    ];
    const linked = texts.flatMap(linkedCommands);
    assert.ok(linked.includes('bootc.newProject') && linked.includes('bootc.buildImage'));
    for (const command of linked) {
      assert.ok(contributed.has(command) || BUILT_IN_COMMANDS.has(command), `${command} is linked but not contributed`);
    }
  });

  test('the disk and VM pages link the bootc-image-builder documentation', () => {
    for (const page of ['disk-image.md', 'boot-vm.md']) {
      assert.ok(fs.readFileSync(path.join(MEDIA, page), 'utf8').includes(`(${DOCS})`), page);
    }
  });
});

describe('.vscodeignore', () => {
  test('ships the templates and the walkthrough media', () => {
    const lines = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((line) => line.trim());
    assert.ok(lines.includes('!templates/**') && lines.includes('!media/**'), '.vscodeignore does not re-include templates/ and media/');
  });
});
