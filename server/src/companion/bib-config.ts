/**
 * Checks of bootc-image-builder build configs (`config.toml` / `config.json`): an osbuild
 * blueprint of which bootc images take only a few customizations, decoded strictly (an unknown
 * key makes bootc-image-builder refuse the file).
 */
import { parseJsonConfig, parseTomlConfig, type ConfigLocations, type PathSegment, type Span } from './config-locations';
import { didYouMean, finding, fix, LineIndex, replace } from './findings';
import type { BibConfigMode, Finding, Fix, Range, TextEdit } from './types';

type ValueType = 'string' | 'strings' | 'integer' | 'boolean' | 'size' | 'any';

interface Field {
  type: ValueType | { table: Schema } | { tableArray: Schema };
  /** Why bootc images do not take this key, and what to do instead. */
  unsupported?: string;
  /** The image types that take the key (all when absent). */
  modes?: ReadonlyArray<Exclude<BibConfigMode, 'any'>>;
  required?: boolean;
}
type Schema = Record<string, Field>;

const CONTAINERFILE = 'configure it in the Containerfile instead';
const unsupported = (why: string): Field => ({ type: 'any', unsupported: why });

const FILESYSTEM_TYPED: Schema = { mountpoint: { type: 'string' }, label: { type: 'string' }, fs_type: { type: 'string' }, minsize: { type: 'size' }, name: { type: 'string' } };

const CUSTOMIZATIONS: Schema = {
  user: {
    type: {
      tableArray: {
        name: { type: 'string', required: true }, description: { type: 'string' }, password: { type: 'string' }, key: { type: 'string' },
        home: { type: 'string' }, shell: { type: 'string' }, groups: { type: 'strings' }, uid: { type: 'integer' }, gid: { type: 'integer' },
        expiredate: { type: 'integer' }, force_password_reset: { type: 'boolean' },
      },
    },
  },
  group: { type: { tableArray: { name: { type: 'string', required: true }, gid: { type: 'integer' } } } },
  kernel: { type: { table: { append: { type: 'string' }, name: unsupported('The kernel of a bootc system comes from the container image: install or replace it in the Containerfile.') } } },
  filesystem: { type: { tableArray: { mountpoint: { type: 'string', required: true }, minsize: { type: 'size' }, size: { type: 'size' } } }, modes: ['disk'] },
  disk: {
    type: {
      table: {
        type: { type: 'string' }, minsize: { type: 'size' }, start_offset: { type: 'size' }, sector_size: { type: 'integer' },
        partitions: {
          type: {
            tableArray: {
              ...FILESYSTEM_TYPED, type: { type: 'string' }, part_type: { type: 'string' }, part_label: { type: 'string' }, part_uuid: { type: 'string' },
              logical_volumes: { type: { tableArray: FILESYSTEM_TYPED } },
              subvolumes: { type: { tableArray: { name: { type: 'string' }, mountpoint: { type: 'string' } } } },
            },
          },
        },
      },
    },
    modes: ['disk'],
  },
  installer: {
    type: {
      table: {
        unattended: { type: 'boolean' }, 'sudo-nopasswd': { type: 'strings' },
        kickstart: { type: { table: { contents: { type: 'string', required: true } } } },
        modules: { type: { table: { enable: { type: 'strings' }, disable: { type: 'strings' } } } },
        bootloader: { type: { table: { grub2: { type: { table: { 'menu-timeout': { type: 'integer' } } } } } } },
        payload: { type: 'any' },
      },
    },
    modes: ['iso'],
  },
  iso: { type: { table: { volume_id: { type: 'string' }, application_id: { type: 'string' }, publisher: { type: 'string' } } }, modes: ['iso'] },
  fips: { type: 'boolean' },
  directories: { type: 'any', modes: ['disk'] },
  files: { type: 'any', modes: ['disk'] },
  ignition: { type: 'any', modes: ['disk'] },
  sshd: { type: { table: { password_authentication: { type: 'boolean' }, client_alive_interval: { type: 'integer' }, permit_root_login: { type: 'string' }, kbd_interactive_authentication: { type: 'boolean' } } }, modes: ['disk'] },
  hostname: unsupported(`bootc-image-builder does not set a hostname for bootc images: write /etc/hostname in the Containerfile, or set it at first boot (cloud-init, hostnamectl).`),
  sshkey: unsupported('bootc-image-builder does not take `sshkey` for bootc images: put the key into the user entry, `[[customizations.user]]` with `key = "ssh-ed25519 …"`.'),
  timezone: unsupported(`A bootc image carries its time zone: ${CONTAINERFILE} (RUN ln -sf ../usr/share/zoneinfo/Europe/Berlin /etc/localtime).`),
  locale: unsupported(`A bootc image carries its locale: ${CONTAINERFILE} (write /etc/locale.conf and /etc/vconsole.conf).`),
  firewall: unsupported(`A bootc image carries its firewall setup: ${CONTAINERFILE} (RUN firewall-offline-cmd --add-service=…).`),
  services: unsupported(`A bootc image decides which units start: ${CONTAINERFILE} (RUN systemctl enable …).`),
  repositories: unsupported(`bootc images are built from the container image, not from repositories at disk-build time: ${CONTAINERFILE} (/etc/yum.repos.d, RUN dnf install).`),
  dnf: unsupported(`No packages are installed when bootc-image-builder makes a disk: ${CONTAINERFILE}.`),
  rpm: unsupported(`No packages are installed when bootc-image-builder makes a disk: ${CONTAINERFILE}.`),
  rhsm: unsupported(`Register the system or configure subscription-manager in the Containerfile or at first boot; bootc-image-builder does not apply rhsm to bootc images.`),
  cacerts: unsupported(`Add CA certificates in the Containerfile: COPY them to /etc/pki/ca-trust/source/anchors/ and RUN update-ca-trust.`),
  openscap: unsupported(`bootc-image-builder does not run OpenSCAP remediation for bootc images: ${CONTAINERFILE}.`),
  fdo: unsupported('FDO onboarding is not applied to bootc images by bootc-image-builder.'),
  firstboot: unsupported(`bootc-image-builder does not add first-boot scripts to bootc images: ship a systemd unit in the Containerfile.`),
  'containers-storage': unsupported(`bootc-image-builder does not configure container storage for bootc images: ${CONTAINERFILE} (/etc/containers/storage.conf).`),
  installation_device: unsupported('bootc-image-builder does not take installation_device; the installer writes to the disk chosen by its kickstart.'),
  partitioning_mode: unsupported('bootc-image-builder does not take partitioning_mode for bootc images; size partitions with [[customizations.filesystem]] or lay them out with [customizations.disk].'),
};

const PACKAGES = 'bootc images get their software from the container image: install it in the Containerfile (RUN dnf -y install …).';
const ROOT: Schema = {
  name: { type: 'string' },
  description: { type: 'string' },
  version: { type: 'string' },
  customizations: { type: { table: CUSTOMIZATIONS } },
  packages: unsupported(PACKAGES),
  modules: unsupported(PACKAGES),
  enabled_modules: unsupported(PACKAGES),
  groups: unsupported(PACKAGES),
  containers: unsupported('bootc-image-builder does not embed containers into bootc images: pull them in the Containerfile or use logically bound images (/usr/lib/bootc/bound-images.d).'),
  distro: unsupported('The distribution of a bootc disk is the container image it is built from.'),
  architecture: unsupported('The architecture of a bootc disk is chosen with --target-arch (and the container image), not in the config.'),
};

const KEY_ALIASES: Record<string, string> = {
  customization: 'customizations', customisations: 'customizations', customisation: 'customizations', custom: 'customizations',
  users: 'user', kernal: 'kernel', kernels: 'kernel', filesystems: 'filesystem', fs: 'filesystem', disks: 'disk', partition: 'partitions',
  passwd: 'password', pass: 'password', ssh_key: 'key', sshkey: 'key', 'ssh-key': 'key', pubkey: 'key', mount: 'mountpoint', mount_point: 'mountpoint',
  path: 'mountpoint', min_size: 'minsize', size: 'minsize', args: 'append', kargs: 'append', cmdline: 'append', content: 'contents',
};

const MISSING_KEY_REASONS: Record<string, string> = {
  name: 'the name of the account bootc-image-builder creates on the disk image',
  mountpoint: 'the path the filesystem is mounted at (/, /boot or a directory below /var)',
  contents: 'the kickstart text; bootc-image-builder adds only the ostreecontainer command to it',
};

const DENIED_UNDER_VAR = ['/var/home', '/var/lock', '/var/mail', '/var/mnt', '/var/roothome', '/var/run', '/var/srv', '/var/usrlocal'];
const SYMLINKED_INTO_VAR: Record<string, string> = { '/home': '/var/home', '/mnt': '/var/mnt', '/root': '/var/roothome', '/srv': '/var/srv', '/opt': '/var/opt' };
const HASHED_PASSWORD = /^\$(1|2[abxy]?|5|6|7|y|gy)\$/;

type Json = Record<string, unknown>;
const isTable = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a bootc-image-builder config.toml (`format: 'toml'`) or config.json. */
export function validateBibConfig(text: string, format: 'toml' | 'json', mode: BibConfigMode = 'any'): Finding[] {
  const parsed = format === 'toml' ? parseTomlConfig(text) : parseJsonConfig(text);
  const index = new LineIndex(text);
  if (!parsed.ok) {
    return [finding('bib-config-syntax', `This bootc-image-builder config is not valid ${format === 'toml' ? 'TOML' : 'JSON'} (${parsed.error.message}); bootc-image-builder stops before building anything.`, index.restOfLine(parsed.error.offset))];
  }
  const checker = new BibChecker(text, format, mode, index, parsed.locations);
  checker.check(parsed.value);
  return checker.findings;
}

class BibChecker {
  readonly findings: Finding[] = [];

  constructor(
    private readonly text: string,
    private readonly format: 'toml' | 'json',
    private readonly mode: BibConfigMode,
    private readonly index: LineIndex,
    private readonly locations: ConfigLocations,
  ) {}

  check(value: unknown): void {
    let root = value;
    let base: PathSegment[] = [];
    // Configs before 2024/05 wrapped the blueprint in {"blueprint": …}; bootc-image-builder still reads them.
    if (this.format === 'json' && isTable(value) && isTable(value.blueprint) && Object.keys(value).length === 1) {
      root = value.blueprint;
      base = ['blueprint'];
    }
    if (!isTable(root)) {
      this.findings.push(finding('bib-config-invalid-value', 'A bootc-image-builder config is one object with a `customizations` table.', this.range(this.locations.valueOrKey([]) ?? { start: 0, end: this.text.length })));
      return;
    }
    this.table(root, base, ROOT);
    const customizations = root.customizations;
    if (isTable(customizations)) this.customizations(customizations, [...base, 'customizations']);
  }

  private range(span: Span | undefined): Range {
    return span ? this.index.rangeAt(span.start, span.end) : this.index.rangeAt(0, 0);
  }

  private keyRange(path: PathSegment[]): Range {
    return this.range(this.locations.key(path) ?? this.elementSpan(path));
  }

  private valueRange(path: PathSegment[]): Range {
    return this.range(this.locations.valueOrKey(path) ?? this.elementSpan(path));
  }

  /** Where element `path` (ending in an index) of a TOML array of tables starts: its `[[…]]` header. */
  private elementSpan(path: PathSegment[]): Span | undefined {
    const last = path[path.length - 1];
    if (typeof last !== 'number') return undefined;
    const headers = this.locations.occurrences(path.slice(0, -1)).filter((location) => location.header?.kind === 'array');
    return headers[last]?.header?.span ?? this.locations.key(path.slice(0, -1));
  }

  private table(value: Json, path: PathSegment[], schema: Schema): void {
    for (const [key, item] of Object.entries(value)) {
      const keyPath = [...path, key];
      const field = Object.hasOwn(schema, key) ? schema[key] : undefined;
      if (!field) {
        this.unknownKey(key, keyPath, value, schema);
        continue;
      }
      if (field.unsupported) {
        this.findings.push(finding('bib-config-unsupported', `'${key}' is not applied to bootc images. ${field.unsupported}`, this.keyRange(keyPath)));
        continue;
      }
      if (this.mode !== 'any' && field.modes && !field.modes.includes(this.mode)) {
        const other = this.mode === 'disk' ? 'installer (ISO)' : 'disk';
        this.findings.push(finding('bib-config-unsupported', `'${key}' only applies to ${other} images; bootc-image-builder ignores or refuses it for ${this.mode === 'disk' ? 'disk' : 'ISO'} images.`, this.keyRange(keyPath)));
        continue;
      }
      this.value(item, keyPath, field, key);
    }
    for (const [key, field] of Object.entries(schema)) {
      if (field.required && !Object.hasOwn(value, key)) {
        const where = path.join('.').replace(/\.(\d+)/g, '[$1]');
        const why = MISSING_KEY_REASONS[key] ?? 'bootc-image-builder refuses the entry without it';
        this.findings.push(finding('bib-config-missing-key', `This entry (${where}) needs '${key}': ${why}. Add \`${this.format === 'toml' ? `${key} = …` : `"${key}": …`}\`.`, this.keyRange(path)));
      }
    }
  }

  private value(item: unknown, path: PathSegment[], field: Field, key: string): void {
    const type = field.type;
    if (typeof type === 'object' && 'table' in type) {
      if (isTable(item)) this.table(item, path, type.table);
      else this.invalid(path, `'${key}' is a table${this.format === 'toml' ? ` ([${path.join('.')}])` : ' (an object)'}.`);
      return;
    }
    if (typeof type === 'object' && 'tableArray' in type) {
      if (isTable(item)) {
        this.findings.push(finding('bib-config-invalid-value', `'${key}' is a list of tables: ${this.format === 'toml' ? `write [[${path.join('.')}]] (double brackets), one per entry` : 'write [ { … } ], one object per entry'}.`, this.keyRange(path), this.wrapInListFix(path)));
        this.table(item, path, type.tableArray);
        return;
      }
      if (!Array.isArray(item) || item.some((element) => !isTable(element))) {
        this.invalid(path, `'${key}' is a list of tables${this.format === 'toml' ? ` ([[${path.join('.')}]], one per entry)` : ' ([ { … } ])'}.`);
        return;
      }
      item.forEach((element, position) => this.table(element as Json, [...path, position], type.tableArray));
      return;
    }
    switch (type) {
      case 'string':
        if (typeof item !== 'string') this.invalid(path, `'${key}' is a string.`);
        break;
      case 'strings':
        if (typeof item === 'string') {
          const span = this.locations.valueOrKey(path);
          const fixed = `[${JSON.stringify(item)}]`;
          this.findings.push(finding('bib-config-invalid-value', `'${key}' is a list of strings: write ${fixed}.`, this.valueRange(path), span ? [fix(`Write ${fixed}`, [replace(this.range(span), fixed)])] : []));
        } else if (!Array.isArray(item) || item.some((element) => typeof element !== 'string')) {
          this.invalid(path, `'${key}' is a list of strings, such as ["wheel"].`);
        }
        break;
      case 'integer':
        if (typeof item !== 'number' && typeof item !== 'bigint') this.invalid(path, `'${key}' is a number.`);
        break;
      case 'boolean':
        if (typeof item !== 'boolean') this.invalid(path, `'${key}' is true or false.`);
        break;
      case 'size':
        this.size(item, path, key);
        break;
      case 'any':
        break;
    }
  }

  private invalid(path: PathSegment[], message: string, fixes: Fix[] = []): void {
    this.findings.push(finding('bib-config-invalid-value', message, this.valueRange(path), fixes));
  }

  private size(item: unknown, path: PathSegment[], key: string): void {
    if ((typeof item === 'number' && Number.isInteger(item) && item >= 0) || typeof item === 'bigint') return;
    if (typeof item === 'string' && /^\s*\d+(\.\d+)?\s*([kKMGTPE]i?B|B)?\s*$/.test(item)) return;
    const short = typeof item === 'string' ? /^\s*(\d+)\s*([kKmMgGtT])\s*$/.exec(item) : null;
    const fixes: Fix[] = [];
    if (short) {
      const fixed = `"${short[1]} ${short[2] === 'k' ? 'K' : short[2].toUpperCase()}iB"`;
      fixes.push(fix(`Write ${fixed}`, [replace(this.valueRange(path), fixed)]));
    }
    this.invalid(path, `'${key}' is a size: a number of bytes or a string with a unit, such as "10 GiB" or "512 MiB".`, fixes);
  }

  /** A TOML [table] that should be [[table]], or a JSON object that should be in a list. */
  private wrapInListFix(path: PathSegment[]): Fix[] {
    const occurrences = this.locations.occurrences(path);
    const edits: TextEdit[] = [];
    for (const location of occurrences) {
      if (location.header?.kind === 'table') {
        const { start, end } = location.header.span;
        edits.push(replace(this.index.rangeAt(start, start + 1), '[['), replace(this.index.rangeAt(end - 1, end), ']]'));
      } else if (location.value) {
        edits.push(replace(this.index.rangeAt(location.value.start, location.value.start), '['), replace(this.index.rangeAt(location.value.end, location.value.end), ']'));
      }
    }
    // A sub-table header ([customizations.user.x]) cannot be wrapped this way: then offer nothing.
    const nested = this.locations.all.some((location) => location.header && location.path.length > path.length && JSON.stringify(location.path.slice(0, path.length)) === JSON.stringify(path));
    return edits.length > 0 && !nested ? [fix(this.format === 'toml' ? `Write [[${path.join('.')}]]` : 'Put the object in a list', edits)] : [];
  }

  private unknownKey(key: string, path: PathSegment[], parent: Json, schema: Schema): void {
    const known = Object.keys(schema).filter((candidate) => !schema[candidate].unsupported);
    const suggestion = didYouMean(key, known, KEY_ALIASES);
    const occurrences = this.locations.occurrences(path);
    const fixes: Fix[] = [];
    let hint = '';
    if (suggestion && !(suggestion in parent)) {
      fixes.push(fix(`Rename '${key}' to '${suggestion}'`, occurrences.map((location) => replace(this.range(location.key), suggestion))));
      hint = ` Did you mean '${suggestion}'?`;
    } else if (path.length === 1 && Object.hasOwn(CUSTOMIZATIONS, key) && !CUSTOMIZATIONS[key].unsupported) {
      hint = ` '${key}' belongs in the customizations table: customizations.${key}.`;
      if (this.format === 'toml' && occurrences.length > 0 && occurrences.every((location) => location.header)) {
        fixes.push(fix(`Move to customizations.${key}`, occurrences.map((location) => replace(this.range(location.key), `customizations.${key}`))));
      }
    }
    const where = path.length > 1 ? ` in ${path.slice(0, -1).join('.').replace(/\.(\d+)/g, '[$1]')}` : '';
    for (const location of occurrences.length > 0 ? occurrences : [undefined]) {
      this.findings.push(finding('bib-config-unknown-key', `bootc-image-builder does not know the key '${key}'${where} and refuses the whole config.${hint}`, location ? this.range(location.key) : this.keyRange(path), fixes));
    }
  }

  private customizations(value: Json, path: PathSegment[]): void {
    const users = Array.isArray(value.user) ? value.user.filter(isTable) : isTable(value.user) ? [value.user] : [];
    const seen = new Map<string, number>();
    users.forEach((user, position) => {
      const userPath = Array.isArray(value.user) ? [...path, 'user', position] : [...path, 'user'];
      if (typeof user.name === 'string') {
        const first = seen.get(user.name);
        if (first !== undefined) {
          this.findings.push(finding('bib-config-duplicate-user', `The user '${user.name}' is already configured (entry ${first + 1}); each [[customizations.user]] creates one account. Merge the two entries.`, this.valueRange([...userPath, 'name'])));
        } else {
          seen.set(user.name, position);
        }
      }
      if (typeof user.password === 'string' && user.password !== '' && !HASHED_PASSWORD.test(user.password)) {
        this.findings.push(finding('bib-config-plain-password', `This password is stored in plain text in the config. Prefer an SSH \`key\`, or write a crypt hash (\`openssl passwd -6\` prints a $6$… hash that bootc-image-builder takes as \`password\`).`, this.valueRange([...userPath, 'password'])));
      }
    });
    const installer = isTable(value.installer) ? value.installer : undefined;
    const kickstart = installer && isTable(installer.kickstart) ? installer.kickstart : undefined;
    if (kickstart) {
      for (const key of ['user', 'group']) {
        if (!(key in value)) continue;
        this.findings.push(finding('bib-config-kickstart-users', `bootc-image-builder refuses [[customizations.${key}]] together with a custom kickstart: the kickstart is in charge of the installation, so create ${key === 'user' ? 'users there (user --name=… --groups=wheel, sshkey --username=… "…")' : 'groups there (group --name=…)'}.`, this.keyRange([...path, key])));
      }
      if (typeof kickstart.contents === 'string') this.ostreecontainer([...path, 'installer', 'kickstart', 'contents']);
    }
    if ('filesystem' in value && 'disk' in value) {
      this.findings.push(finding('bib-config-filesystem-disk', 'bootc-image-builder cannot combine [[customizations.filesystem]] and [customizations.disk]: size partitions with filesystem, or lay out the whole disk with disk — not both.', this.keyRange([...path, 'disk'])));
    }
    if (Array.isArray(value.filesystem)) {
      value.filesystem.forEach((entry, position) => {
        if (isTable(entry)) this.mountpoint(entry.mountpoint, [...path, 'filesystem', position, 'mountpoint']);
      });
    }
    const disk = isTable(value.disk) ? value.disk : undefined;
    if (disk && Array.isArray(disk.partitions)) {
      disk.partitions.forEach((partition, position) => {
        if (!isTable(partition)) return;
        const partitionPath = [...path, 'disk', 'partitions', position];
        if ('mountpoint' in partition) this.mountpoint(partition.mountpoint, [...partitionPath, 'mountpoint']);
        for (const nested of ['logical_volumes', 'subvolumes']) {
          const list = partition[nested];
          if (!Array.isArray(list)) continue;
          list.forEach((volume, volumeIndex) => {
            if (isTable(volume) && 'mountpoint' in volume) this.mountpoint(volume.mountpoint, [...partitionPath, nested, volumeIndex, 'mountpoint']);
          });
        }
      });
    }
  }

  /** `ostreecontainer` lines in the kickstart `contents` (real newlines in TOML multi-line strings, `\n` escapes otherwise). */
  private ostreecontainer(path: PathSegment[]): void {
    const span = this.locations.valueOrKey(path);
    if (!span) return;
    const raw = this.text.slice(span.start, span.end);
    const multiline = raw.startsWith('"""') || raw.startsWith("'''");
    // group 1: what precedes the line, 2: the line, 3: its line break (removed with it)
    const line = multiline
      ? /(^"""|^'''|\n)([ \t]*ostreecontainer\b(?:(?!"""|''')[^\r\n])*)(\r?\n)?/g
      : /(^"|^'|\\n)([ \t]*ostreecontainer\b(?:[^\n\\"]|\\[^n])*)(\\n)?/g;
    for (let match = line.exec(raw); match; match = line.exec(raw)) {
      const start = span.start + match.index + match[1].length;
      const end = start + match[2].length;
      const deleteEnd = end + (match[3]?.length ?? 0);
      this.findings.push(finding('bib-config-kickstart-ostreecontainer', 'bootc-image-builder adds the `ostreecontainer` command that installs this container image to the kickstart itself; a second one conflicts. Remove this line.', this.index.rangeAt(start, end), [fix('Remove the ostreecontainer line', [replace(this.index.rangeAt(start, deleteEnd), '')])]));
      // The removed line break also precedes the next line: scan it again.
      if (match[3]) line.lastIndex -= match[3].length;
    }
  }

  private mountpoint(value: unknown, path: PathSegment[]): void {
    if (typeof value !== 'string') return; // the type check reported it
    const range = this.valueRange(path);
    const quote = (text: string) => JSON.stringify(text);
    if (!value.startsWith('/')) {
      this.findings.push(finding('bib-config-invalid-value', `A mountpoint is an absolute path: '${value}' does not start with '/'.`, range));
      return;
    }
    const clean = cleanPath(value);
    if (clean !== value) {
      this.findings.push(finding('bib-config-invalid-value', `bootc-image-builder wants mountpoints in their clean form: write '${clean}'.`, range, [fix(`Write '${clean}'`, [replace(range, quote(clean))])]));
      return;
    }
    const problem = mountpointProblem(clean);
    if (!problem) return;
    const below = `/var${clean}`;
    const fixes = !problem.noFix && !mountpointProblem(below) ? [fix(`Mount it below /var: '${below}'`, [replace(range, quote(below))], false)] : [];
    this.findings.push(finding('bib-config-mountpoint', problem.message, range, fixes));
  }
}

/** Why bootc-image-builder refuses a (clean, absolute) mountpoint for bootc images, if it does. */
export function mountpointProblem(path: string): { message: string; noFix?: boolean } | undefined {
  const allowed = "For bootc images bootc-image-builder allows only '/' and '/boot' (to size them) and new filesystems below /var (and with --rootfs btrfs only '/' and '/boot')";
  if (path === '/' || path === '/boot') return undefined;
  if (path === '/var') return { message: `/var itself cannot be a separate filesystem: it holds the machine's state that bootc sets up on the root filesystem. Mount a directory below it, such as /var/lib/containers or /var/data.`, noFix: true };
  if (path.startsWith('/var/')) {
    const denied = DENIED_UNDER_VAR.find((prefix) => path === prefix || path.startsWith(`${prefix}/`));
    if (!denied) return undefined;
    return { message: `bootc-image-builder does not allow a filesystem at ${denied} for bootc images${denied === '/var/run' || denied === '/var/lock' ? ` (it is a symlink into /run, a tmpfs)` : ''}. ${allowed}.`, noFix: true };
  }
  if (/^\/(usr|etc)(\/|$)/.test(path)) {
    return { message: `${path} comes from the container image (/usr read-only, /etc merged on updates) and must stay on the root filesystem. ${allowed}.`, noFix: true };
  }
  const top = `/${path.split('/')[1]}`;
  const symlink = SYMLINKED_INTO_VAR[top];
  if (symlink) {
    return { message: `On Fedora/CentOS bootc, ${top} is a symlink to ${symlink}, and a symlink cannot be a mountpoint. ${allowed}.` };
  }
  return { message: `${path} cannot be a separate filesystem on a bootc disk. ${allowed}: for example /var${path}.` };
}

function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
