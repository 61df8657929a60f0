// Every project New bootc Project writes lints clean with the extension's own linter: the
// Containerfile (as a bootc build, with the build context for the kargs.d files it copies) and
// every companion file, both through the lint core and through bootc-lint on the project folder.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listTemplates, placeholderValues, planCopy, writePlan, type TemplateInfo } from '../../client/src/templates';
import type { JsonFinding } from '../../server/src/cli';
import { companionKind } from '../../server/src/companion';
import { contextFileReader } from '../../server/src/context-files';
import { Linter } from '../../server/src/lint';
import { runCli } from '../helpers/cli';

const TEMPLATES = path.resolve(__dirname, '..', '..', 'templates');

let scratch: string;
let templates: TemplateInfo[];
let linter: Linter;
/** The project folder written from each template, by id. */
const projects = new Map<string, string>();

before(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'bootc-template-lint-'));
  templates = await listTemplates(TEMPLATES);
  linter = await Linter.create();
  for (const template of templates) {
    const folder = path.join(scratch, template.id);
    await writePlan(await planCopy(template.folder, folder, placeholderValues(`quay.io/example/${template.id}:latest`)));
    projects.set(template.id, folder);
  }
});

after(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('projects from the templates lint clean', () => {
  test('there are four templates', () => {
    assert.deepEqual(templates.map((template) => template.id).sort(), ['container-host', 'edge-device', 'gpu-appliance', 'web-server']);
  });

  test('each Containerfile is a bootc build with no finding, its build context read', async () => {
    for (const [id, folder] of projects) {
      const text = await fs.readFile(path.join(folder, 'Containerfile'), 'utf8');
      const { bootc, findings } = linter.lint(text, { readContextFile: contextFileReader(folder) });
      assert.ok(bootc.enabled, `${id}: ${bootc.reason}`);
      assert.deepEqual(findings.map((finding) => `${finding.range.start.line + 1}: ${finding.ruleId}: ${finding.message}`), [], id);
    }
  });

  test('bootc-lint on each project folder finds the Containerfile and the companion files, and reports nothing', async () => {
    for (const [id, folder] of projects) {
      const { code, stdout, stderr } = await runCli(['--format', 'json', '.'], { cwd: folder });
      assert.equal(code, 0, `${id}: ${stderr}`);
      assert.deepEqual(JSON.parse(stdout) as JsonFinding[], [], id);
      assert.equal(stderr, '', id);
    }
  });

  test('every template has companion files the checks recognise', async () => {
    for (const [id, folder] of projects) {
      const kinds = new Set<string>();
      const visit = async (dir: string): Promise<void> => {
        for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) await visit(file);
          else {
            const kind = companionKind(file, await fs.readFile(file, 'utf8'));
            if (kind) kinds.add(kind);
          }
        }
      };
      await visit(folder);
      assert.ok(kinds.has('bib-config-toml'), `${id}: no bootc-image-builder config.toml`);
      assert.ok(kinds.size >= (id === 'container-host' ? 1 : 2), `${id}: ${[...kinds].join(', ')}`);
    }
  });
});
