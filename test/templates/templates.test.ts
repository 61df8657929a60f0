import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CONTAINERFILE,
  TEMPLATE_MANIFEST,
  collisions,
  isEmptyFolder,
  listTemplates,
  placeholderValues,
  planCopy,
  renderTemplate,
  validateProjectName,
  writePlan,
  type PlannedFile,
  type TemplateInfo,
} from '../../client/src/templates';
import { companionKind, lintCompanion } from '../../server/src/companion';

/** The project templates (templates/) and the pure half of New bootc Project (client/src/templates.ts). */

const TEMPLATES = path.resolve(__dirname, '..', '..', 'templates');
const VALUES = placeholderValues('quay.io/example/fleet-os:1.0');
const LEFTOVER_PLACEHOLDER = /\{\{\s*\w+\s*\}\}/;
/** bootc matches kargs.d architectures against Rust's names (`powerpc64`, not `ppc64le`). */
const KERNEL_ARCHITECTURES = ['x86_64', 'aarch64', 's390x', 'powerpc64', 'riscv64'];

let scratch: string;
let templates: TemplateInfo[];
/** smol-toml is an ES module: loaded with import() from this CommonJS test. */
let parseToml: (text: string) => Record<string, unknown>;
/** Each template rendered with VALUES, by id. */
const rendered = new Map<string, PlannedFile[]>();

before(async () => {
  parseToml = (await import('smol-toml')).parse;
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'bootc-templates-'));
  templates = await listTemplates(TEMPLATES);
  for (const template of templates) rendered.set(template.id, await planCopy(template.folder, path.join(scratch, 'plans', template.id), VALUES));
});

after(async () => {
  await fs.rm(scratch, { recursive: true, force: true });
});

function text(id: string, relativePath: string): string {
  const file = rendered.get(id)?.find((candidate) => candidate.relativePath === relativePath);
  assert.ok(file, `${id} has no ${relativePath}`);
  return file.content.toString('utf8');
}

function filesOf(id: string, pattern: RegExp): PlannedFile[] {
  return (rendered.get(id) ?? []).filter((file) => pattern.test(file.relativePath));
}

/** Containerfile instructions: continuation lines joined, comments and blank lines dropped. */
function instructions(containerfile: string): { keyword: string; args: string }[] {
  const result: { keyword: string; args: string }[] = [];
  let pending = '';
  for (const line of containerfile.split('\n')) {
    if (!pending && (/^\s*#/.test(line) || !line.trim())) continue;
    if (pending && /^\s*#/.test(line)) continue;
    const continued = /\\\s*$/.test(line);
    pending += (pending ? ' ' : '') + line.replace(/\\\s*$/, '').trim();
    if (continued) continue;
    const match = /^(\S+)\s*(.*)$/.exec(pending);
    if (match) result.push({ keyword: match[1].toUpperCase(), args: match[2] });
    pending = '';
  }
  return result;
}

describe('the template list', () => {
  test('has the four templates in their order, each described', () => {
    assert.deepEqual(
      templates.map((template) => template.id),
      ['web-server', 'container-host', 'edge-device', 'gpu-appliance'],
    );
    for (const template of templates) {
      assert.equal(path.basename(template.folder), template.id, `${template.id} lives in a folder of another name`);
      assert.ok(template.label && template.description && template.detail, `${template.id} lacks a label, description or detail`);
    }
  });

  test('skips folders without a valid template.json', async () => {
    const folder = path.join(scratch, 'list');
    await fs.mkdir(path.join(folder, 'good'), { recursive: true });
    await fs.mkdir(path.join(folder, 'no-manifest'), { recursive: true });
    await fs.mkdir(path.join(folder, 'broken'), { recursive: true });
    await fs.writeFile(path.join(folder, 'good', TEMPLATE_MANIFEST), JSON.stringify({ id: 'good', label: 'Good' }));
    await fs.writeFile(path.join(folder, 'broken', TEMPLATE_MANIFEST), '{ "id": ');
    assert.deepEqual(
      (await listTemplates(folder)).map((template) => template.id),
      ['good'],
    );
  });
});

describe('placeholders', () => {
  test('name is the last path part of the image without tag or digest', () => {
    assert.deepEqual(placeholderValues('localhost/web:latest'), { image: 'localhost/web:latest', name: 'web' });
    assert.equal(placeholderValues('quay.io/org/team/edge-os').name, 'edge-os');
    assert.equal(placeholderValues('localhost:5000/app:2').name, 'app');
    assert.equal(placeholderValues(`registry.example.com/gpu@sha256:${'a'.repeat(64)}`).name, 'gpu');
  });

  test('{{image}} and {{name}} are replaced; podman templates and unknown names stay', () => {
    assert.equal(
      renderTemplate("podman build -t {{image}} . # {{name}}; podman ps --format '{{.ID}} {{.Names}}' {{other}}", VALUES),
      "podman build -t quay.io/example/fleet-os:1.0 . # fleet-os; podman ps --format '{{.ID}} {{.Names}}' {{other}}",
    );
  });

  test('every template renders with no placeholder left, and without its template.json', () => {
    for (const [id, plan] of rendered) {
      assert.ok(plan.length >= 5, `${id}: only ${plan.length} files`);
      assert.ok(!plan.some((file) => file.relativePath === TEMPLATE_MANIFEST), `${id} would copy its template.json`);
      for (const file of plan) {
        const content = file.content.toString('utf8');
        assert.doesNotMatch(content, LEFTOVER_PLACEHOLDER, `${id}/${file.relativePath} keeps a placeholder`);
      }
      assert.match(text(id, 'README.md'), /sudo podman build -t quay\.io\/example\/fleet-os:1\.0 \./, `${id}: the README does not build the project's image`);
    }
  });

  test('placeholders are used where the project names itself', () => {
    for (const id of rendered.keys()) {
      assert.match(text(id, 'README.md'), /^# fleet-os$/m, `${id}: the README title is not the project name`);
      assert.match(text(id, CONTAINERFILE), /fleet-os/, `${id}: the Containerfile does not name the project`);
    }
  });
});

describe('the Containerfiles', () => {
  test('start FROM a bootc base image and end with RUN bootc container lint', () => {
    for (const id of rendered.keys()) {
      const steps = instructions(text(id, CONTAINERFILE));
      assert.equal(steps[0]?.keyword, 'FROM', `${id}: the first instruction is not FROM`);
      assert.match(steps[0].args, /^quay\.io\/(fedora\/fedora-bootc:42|centos-bootc\/centos-bootc:stream9)$/, `${id}: unexpected base ${steps[0].args}`);
      const last = steps[steps.length - 1];
      assert.equal(`${last.keyword} ${last.args}`, 'RUN bootc container lint', `${id}: the last step is ${last.keyword} ${last.args}`);
    }
  });

  test('every COPY source is a file of the template, named (not a folder)', () => {
    for (const [id, plan] of rendered) {
      const names = new Set(plan.map((file) => file.relativePath));
      const copies = instructions(text(id, CONTAINERFILE)).filter((step) => step.keyword === 'COPY' || step.keyword === 'ADD');
      assert.ok(copies.length > 0, `${id} copies nothing`);
      for (const copy of copies) {
        const parts = copy.args.split(/\s+/).filter((part) => !part.startsWith('--'));
        assert.ok(parts.length >= 2, `${id}: COPY ${copy.args} has no destination`);
        for (const source of parts.slice(0, -1)) assert.ok(names.has(source), `${id}: COPY source ${source} is not a file of the template`);
      }
    }
  });

  test('every companion file the image needs is copied into it', () => {
    const notInImage = new Set([CONTAINERFILE, 'README.md', 'config.toml', '.containerignore', 'user-data.yaml']);
    for (const [id, plan] of rendered) {
      const containerfile = text(id, CONTAINERFILE);
      for (const file of plan) {
        if (notInImage.has(file.relativePath)) continue;
        assert.ok(containerfile.includes(`COPY ${file.relativePath} `), `${id}: ${file.relativePath} is never copied by name`);
      }
    }
  });

  test('use none of the container settings an installed system ignores', () => {
    for (const id of rendered.keys()) {
      const keywords = instructions(text(id, CONTAINERFILE)).map((step) => step.keyword);
      for (const ignored of ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'USER', 'VOLUME', 'HEALTHCHECK', 'STOPSIGNAL']) {
        assert.ok(!keywords.includes(ignored), `${id} uses ${ignored}`);
      }
    }
  });

  test('install packages with -y and clean up in the same RUN, and never useradd or podman pull', () => {
    for (const id of rendered.keys()) {
      const runs = instructions(text(id, CONTAINERFILE)).filter((step) => step.keyword === 'RUN');
      for (const run of runs) {
        if (/\bdnf\b.*\binstall\b/.test(run.args)) {
          assert.match(run.args, /\bdnf install -y\b/, `${id}: ${run.args}`);
          assert.match(run.args, /&& dnf clean all\b/, `${id}: ${run.args}`);
        }
        assert.doesNotMatch(run.args, /\b(useradd|groupadd|rpm-ostree|podman pull|firewall-cmd|systemctl (start|restart|daemon-reload))\b/, `${id}: ${run.args}`);
        assert.doesNotMatch(run.args, /\bmkdir\b[^&]*\s\/var\//, `${id} creates content in /var: ${run.args}`);
      }
    }
  });

  test('put kernel arguments in kargs.d files copied by name', () => {
    for (const id of ['edge-device', 'gpu-appliance']) {
      const kargs = filesOf(id, /^kargs\.d\/.+\.toml$/);
      assert.ok(kargs.length > 0, `${id} has no kargs.d file`);
      for (const file of kargs) {
        assert.ok(text(id, CONTAINERFILE).includes(`COPY ${file.relativePath} /usr/lib/bootc/kargs.d/${path.basename(file.relativePath)}`), `${id}: ${file.relativePath}`);
      }
    }
  });
});

describe('the companion files', () => {
  test('every TOML file parses; config.toml has the admin user with an SSH key and wheel', () => {
    for (const [id, plan] of rendered) {
      const tomlFiles = plan.filter((file) => file.relativePath.endsWith('.toml'));
      assert.ok(tomlFiles.some((file) => file.relativePath === 'config.toml'), `${id} has no config.toml`);
      for (const file of tomlFiles) assert.doesNotThrow(() => parseToml(file.content.toString('utf8')), `${id}/${file.relativePath}`);
      const config = parseToml(text(id, 'config.toml')) as { customizations?: { user?: { name?: string; key?: string; groups?: string[] }[] } };
      const [user] = config.customizations?.user ?? [];
      assert.equal(user?.name, 'admin', id);
      assert.match(user?.key ?? '', /^ssh-ed25519 AAAA\S+ \S+$/, id);
      assert.deepEqual(user?.groups, ['wheel'], id);
    }
  });

  test("every companion file passes the project's companion checks with zero findings", () => {
    let checked = 0;
    for (const [id, plan] of rendered) {
      for (const file of plan) {
        const content = file.content.toString('utf8');
        const kind = companionKind(file.relativePath, content);
        if (!kind) continue;
        checked++;
        assert.deepEqual(
          lintCompanion(kind, content).map((finding) => `${finding.ruleId}: ${finding.message}`),
          [],
          `${id}/${file.relativePath} (${kind})`,
        );
      }
    }
    // 4 config.toml, 3 kargs.d, 2 tmpfiles.d, 1 sysusers.d
    assert.equal(checked, 10);
  });

  test('kargs.d files hold a list of strings and kernel architecture names', () => {
    const kargsFiles = [...rendered.entries()].flatMap(([id, plan]) => plan.filter((file) => /^kargs\.d\//.test(file.relativePath)).map((file) => ({ id, file })));
    assert.equal(kargsFiles.length, 3);
    const architectures = new Set<string>();
    for (const { id, file } of kargsFiles) {
      const parsed = parseToml(file.content.toString('utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(parsed).filter((key) => key !== 'kargs' && key !== 'match-architectures'), [], `${id}/${file.relativePath}`);
      assert.ok(Array.isArray(parsed.kargs) && parsed.kargs.length > 0 && parsed.kargs.every((karg) => typeof karg === 'string' && !/\s/.test(karg)), `${id}/${file.relativePath}`);
      for (const architecture of (parsed['match-architectures'] as string[] | undefined) ?? []) {
        assert.ok(KERNEL_ARCHITECTURES.includes(architecture), `${id}/${file.relativePath}: ${architecture}`);
        architectures.add(architecture);
      }
    }
    assert.deepEqual([...architectures].sort(), ['aarch64', 'x86_64']);
  });

  test('tmpfiles.d entries create folders in /var only; sysusers.d declares users', () => {
    const tmpfiles = [...rendered.values()].flatMap((plan) => plan.filter((file) => /^tmpfiles\.d\/.+\.conf$/.test(file.relativePath)));
    assert.equal(tmpfiles.length, 2);
    for (const file of tmpfiles) {
      const lines = file.content.toString('utf8').split('\n').filter((line) => line.trim() && !line.startsWith('#'));
      assert.ok(lines.length > 0, file.relativePath);
      for (const line of lines) assert.match(line, /^d \/var\/\S+ 0[0-7]{3} \S+ \S+ -$/, `${file.relativePath}: ${line}`);
    }
    const sysusers = filesOf('edge-device', /^sysusers\.d\//);
    assert.equal(sysusers.length, 1);
    assert.match(sysusers[0].content.toString('utf8'), /^u heartbeat - "[^"]+"$/m);
    assert.match(text('edge-device', 'systemd/heartbeat.service'), /^User=heartbeat$/m);
    assert.match(text('edge-device', 'systemd/heartbeat.service'), /^StateDirectory=heartbeat$/m);
  });

  test('.containerignore keeps the disks and the builder config out of the build context', () => {
    for (const id of rendered.keys()) {
      const lines = text(id, '.containerignore').split('\n').map((line) => line.trim());
      assert.ok(lines.includes('output/') && lines.includes('config.toml'), id);
    }
  });

  test('Quadlets use fully qualified images and start at boot', () => {
    const quadlets = [...text('container-host', 'web.container').matchAll(/^Image=(\S+)$/gm), ...text('gpu-appliance', 'vllm.container').matchAll(/^Image=(\S+)$/gm)];
    assert.equal(quadlets.length, 2);
    for (const [, image] of quadlets) assert.match(image, /^[a-z0-9.-]+\.[a-z]+\//, `${image} is not fully qualified`);
    assert.match(text('container-host', 'web.container'), /^AutoUpdate=registry$/m);
    assert.match(text('container-host', 'web.container'), /^Volume=web-content\.volume:/m);
    assert.match(text('container-host', CONTAINERFILE), /systemctl enable podman-auto-update\.timer/);
    assert.match(text('gpu-appliance', 'vllm.container'), /^AddDevice=nvidia\.com\/gpu=all$/m);
    for (const [id, file] of [['container-host', 'web.container'], ['gpu-appliance', 'vllm.container']] as const) {
      assert.match(text(id, file), /^\[Install\]\nWantedBy=multi-user\.target/m, `${id}/${file}`);
      assert.match(text(id, CONTAINERFILE), new RegExp(`COPY ${file.replace('.', '\\.')} /usr/share/containers/systemd/${file.replace('.', '\\.')}`), `${id}/${file}`);
    }
  });

  test('the GPU appliance makes its CDI spec at boot and leaves the driver to the README', () => {
    assert.match(text('gpu-appliance', 'systemd/nvidia-cdi-generate.service'), /^ExecStart=\/usr\/bin\/nvidia-ctk cdi generate --output=\/run\/cdi\/nvidia\.yaml$/m);
    assert.doesNotMatch(text('gpu-appliance', CONTAINERFILE), /\b(kmod-nvidia|nvidia-driver|akmod|dkms)\b/);
    const readme = text('gpu-appliance', 'README.md');
    assert.match(readme, /^## Add the GPU driver$/m);
    assert.match(readme, /uname -r/);
    assert.match(readme, /Secure Boot/);
  });

  test('the heartbeat script stays executable', () => {
    const script = filesOf('edge-device', /^heartbeat\.sh$/)[0];
    assert.ok(script && (script.mode & 0o111) !== 0, 'heartbeat.sh is not executable in the template');
    assert.match(script.content.toString('utf8'), /^#!\/bin\/sh\n/);
  });
});

describe('writing a project', () => {
  test('writes every file, keeps script permissions, and refuses to write again', async () => {
    const edge = templates.find((template) => template.id === 'edge-device');
    assert.ok(edge);
    const project = path.join(scratch, 'write', 'fleet-os');
    const plan = await planCopy(edge.folder, project, VALUES);
    assert.deepEqual(await collisions(plan), []);
    const written = await writePlan(plan);
    assert.deepEqual(written, plan.map((file) => file.target));
    assert.equal(await fs.readFile(path.join(project, 'kargs.d', '10-console-x86_64.toml'), 'utf8'), plan.find((file) => file.relativePath === 'kargs.d/10-console-x86_64.toml')?.content.toString('utf8'));
    assert.notEqual((await fs.stat(path.join(project, 'heartbeat.sh'))).mode & 0o111, 0, 'the script lost its execute bits');
    await assert.rejects(fs.access(path.join(project, TEMPLATE_MANIFEST)));

    // A second project into the same folder collides everywhere and overwrites nothing.
    await fs.writeFile(path.join(project, CONTAINERFILE), 'FROM changed-by-the-user\n');
    const again = await planCopy(edge.folder, project, placeholderValues('localhost/other:latest'));
    assert.deepEqual(await collisions(again), again.map((file) => file.relativePath));
    await assert.rejects(writePlan(again), (error: NodeJS.ErrnoException) => error.code === 'EEXIST');
    assert.equal(await fs.readFile(path.join(project, CONTAINERFILE), 'utf8'), 'FROM changed-by-the-user\n');
  });

  test('collisions name exactly the files that exist, folders included', async () => {
    const web = templates.find((template) => template.id === 'web-server');
    assert.ok(web);
    const project = path.join(scratch, 'partial');
    await fs.mkdir(path.join(project, 'README.md'), { recursive: true });
    await fs.mkdir(path.join(project, 'site'), { recursive: true });
    await fs.writeFile(path.join(project, 'site', 'index.html'), 'mine');
    const plan = await planCopy(web.folder, project, VALUES);
    assert.deepEqual((await collisions(plan)).sort(), ['README.md', 'site/index.html']);
    assert.equal(await fs.readFile(path.join(project, 'site', 'index.html'), 'utf8'), 'mine');
  });

  test('an empty folder is one that is missing or holds only .git or .DS_Store', async () => {
    const folder = path.join(scratch, 'empty');
    assert.equal(await isEmptyFolder(folder), true);
    await fs.mkdir(path.join(folder, '.git'), { recursive: true });
    await fs.writeFile(path.join(folder, '.DS_Store'), '');
    assert.equal(await isEmptyFolder(folder), true);
    await fs.writeFile(path.join(folder, 'notes.txt'), 'x');
    assert.equal(await isEmptyFolder(folder), false);
  });

  test('project names are one folder of safe characters', () => {
    for (const good of ['web', 'edge-device-2', 'My_OS.v1', '9lives']) assert.equal(validateProjectName(good), undefined, good);
    for (const bad of ['', '   ', '../up', 'a/b', 'a\\b', '.hidden', '-dash', 'with space', 'x'.repeat(101)]) {
      assert.ok(validateProjectName(bad), `accepted ${JSON.stringify(bad)}`);
    }
  });
});
