/**
 * Checks of sysusers.d(5) files (`/usr/lib/sysusers.d/*.conf`): the declarative way to create
 * users and groups on a bootc system, where /etc/passwd entries made by `useradd` at build time
 * drift from the image on updates.
 */
import { isIgnoredLine, quoteColumn, splitColumns, type Column } from './columns';
import { finding, fix, lineRange, LineIndex, replace, textLines } from './findings';
import type { Finding } from './types';

const TYPES = new Set(['u', 'u!', 'g', 'm', 'r']);
const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,30}$/;
const MAX_ID = 4294967294;

/** True for a user or group name that systemd accepts in strict mode (sysusers.d, tmpfiles.d). */
export function isValidUserName(name: string): boolean {
  return NAME.test(name);
}

/** A UID/GID systemd accepts: 0…4294967294 except 65535 (the 16-bit "nobody" overflow value). */
export function isValidId(text: string): boolean {
  if (!/^\d+$/.test(text)) return false;
  const id = Number(text);
  return id <= MAX_ID && id !== 65535;
}

function isAbsolutePath(text: string): boolean {
  return text.startsWith('/');
}

/** Validates a sysusers.d file. */
export function validateSysusers(text: string): Finding[] {
  const findings: Finding[] = [];
  const lines = textLines(text);
  const index = new LineIndex(text);
  const declared = new Map<string, number>();
  lines.forEach((line, lineNumber) => {
    if (isIgnoredLine(line)) return;
    const columns = splitColumns(line);
    const at = (column: Column) => lineRange(lineNumber, column.start, column.end);
    const unterminated = columns.find((column) => column.unterminated);
    if (unterminated) {
      findings.push(finding('sysusers-invalid-line', 'This quote is never closed: systemd-sysusers cannot parse the line and skips it. Close the quote.', at(unterminated)));
      return;
    }
    const typeColumn = columns[0];
    const type = typeColumn.raw;
    if (!TYPES.has(type)) {
      const lower = type.toLowerCase();
      const fixes = TYPES.has(lower) ? [fix(`Write the type as '${lower}'`, [replace(at(typeColumn), lower)])] : [];
      const hint = TYPES.has(lower) ? ` Types are lower case: '${lower}'.` : '';
      findings.push(finding('sysusers-invalid-line', `'${type}' is not a sysusers.d line type: use u (user and its group), u! (locked user), g (group), m (add a user to a group) or r (ID range). systemd-sysusers skips this line.${hint}`, at(typeColumn), fixes));
      if (!TYPES.has(lower)) return;
    }
    const kind = type.toLowerCase().replace('!', '');
    const nameColumn = columns[1];
    if (!nameColumn) {
      findings.push(finding('sysusers-invalid-line', `A '${type}' line needs a name after the type: \`${kind === 'r' ? 'r - 500-900' : `${type} NAME`}\`.`, at(typeColumn)));
      return;
    }
    checkName(kind, nameColumn, at, findings);
    const idColumn = columns[2];
    let rest = columns.slice(3);
    // Text where the ID belongs is a GECOS (or home) written without the ID: only `u` lines take those.
    if (idColumn && kind === 'u' && !isIdColumnValid(kind, idColumn.value)) {
      const looksLikeText = idColumn.quoted || /[^\d:/-]/.test(idColumn.value) && !idColumn.value.includes(':');
      if (looksLikeText && columns.length <= 5) {
        findings.push(finding('sysusers-invalid-id', `'${idColumn.raw}' is in the ID column: the third column is the UID. Write \`-\` there to let systemd-sysusers allocate a free ID on each machine.`, at(idColumn), [fix("Insert '-' as the ID", [replace(lineRange(lineNumber, idColumn.start, idColumn.start), '- ')])]));
        return;
      }
    }
    if (kind === 'm' || kind === 'r') {
      if (!idColumn) {
        const what = kind === 'm' ? 'the group to add the user to: `m USER GROUP`' : 'the range: `r - 500-900`';
        findings.push(finding('sysusers-invalid-line', `An '${kind}' line needs ${what}.`, at(nameColumn)));
        return;
      }
    }
    if (idColumn) checkId(kind, idColumn, at, findings);
    if (kind === 'u' && rest.length > 0) {
      const gecosFix = unquotedGecos(rest);
      if (gecosFix) {
        const words = rest.slice(0, gecosFix.words);
        const range = lineRange(lineNumber, words[0].start, words[words.length - 1].end);
        const textValue = line.slice(words[0].start, words[words.length - 1].end);
        findings.push(finding('sysusers-invalid-field', `The GECOS (description) "${textValue}" has spaces, so systemd-sysusers splits it into several columns and '${words[1].raw}' lands in the home column. Quote it.`, range, [fix('Quote the GECOS', [replace(range, quoteColumn(textValue))])]));
        rest = [];
      }
    }
    const extra = columns.slice(6);
    if (rest.length > 0 && extra.length > 0) {
      const range = lineRange(lineNumber, extra[0].start, extra[extra.length - 1].end);
      findings.push(finding('sysusers-invalid-line', 'A sysusers.d line has at most six columns (Type Name ID GECOS Home Shell); systemd-sysusers refuses the extra text. Quote values that contain spaces.', range));
    }
    if (rest.length > 0) checkTrailingFields(kind, rest.slice(0, 3), at, findings);
    if (kind !== 'r' && isValidUserName(nameColumn.value)) {
      const key = kind === 'm' ? `m:${nameColumn.value}:${idColumn?.value}` : `${kind}:${nameColumn.value}`;
      const first = declared.get(key);
      if (first !== undefined) {
        const what = kind === 'm' ? `membership of ${nameColumn.value} in ${idColumn?.value}` : `${kind === 'u' ? 'user' : 'group'} ${nameColumn.value}`;
        const lineSpan = { start: index.positionAt(index.lineStart(lineNumber)), end: index.positionAt(index.lineStart(lineNumber + 1)) };
        findings.push(finding('sysusers-duplicate', `The ${what} is already declared on line ${first + 1}; systemd-sysusers uses the first declaration and ignores this one.`, at(nameColumn), [fix('Remove the duplicate line', [replace(lineSpan, '')])]));
      } else {
        declared.set(key, lineNumber);
      }
    }
  });
  return findings;
}

function checkName(kind: string, column: Column, at: (column: Column) => ReturnType<typeof lineRange>, findings: Finding[]): void {
  if (kind === 'r') {
    if (column.value !== '-') {
      findings.push(finding('sysusers-invalid-name', "An 'r' line declares an ID range, not an account: its name column must be '-'.", at(column), [fix("Write '-' as the name", [replace(at(column), '-')])]));
    }
    return;
  }
  if (!isValidUserName(column.value)) {
    const reason = column.value.length > 31 ? 'it is longer than 31 characters' : "only letters, digits, '_' and '-' are allowed, and it must not start with a digit or '-'";
    findings.push(finding('sysusers-invalid-name', `'${column.value}' is not a valid user/group name for systemd-sysusers: ${reason}.`, at(column)));
  }
}

function isIdColumnValid(kind: string, value: string): boolean {
  if (value === '-' || isAbsolutePath(value)) return true;
  if (kind === 'g') return isValidId(value);
  const [uid, group, ...more] = value.split(':');
  if (more.length > 0 || !isValidId(uid)) return false;
  return group === undefined || isValidId(group) || isValidUserName(group);
}

function checkId(kind: string, column: Column, at: (column: Column) => ReturnType<typeof lineRange>, findings: Finding[]): void {
  const value = column.value;
  if (kind === 'm') {
    if (!isValidUserName(value)) findings.push(finding('sysusers-invalid-id', `An 'm' line adds a user to a group: '${value}' is not a valid group name.`, at(column)));
    return;
  }
  if (kind === 'r') {
    const range = /^(\d+)-(\d+)$/.exec(value);
    const valid = range ? isValidId(range[1]) && isValidId(range[2]) && Number(range[1]) <= Number(range[2]) : isValidId(value);
    if (!valid) findings.push(finding('sysusers-invalid-id', `An 'r' line takes an ID range such as 500-900 (low end first): '${value}' is not one.`, at(column)));
    return;
  }
  if (isIdColumnValid(kind, value)) return;
  const shape = kind === 'u' ? 'a UID (0–4294967294, not 65535), UID:GID, UID:group, an absolute path' : 'a GID (0–4294967294, not 65535), an absolute path';
  findings.push(finding('sysusers-invalid-id', `'${value}' is not a valid ID: write ${shape}, or '-' to let systemd-sysusers allocate one.`, at(column)));
}

/** The number of columns an unquoted GECOS spans, when it evidently has spaces. */
function unquotedGecos(fields: Column[]): { words: number } | undefined {
  if (fields[0].quoted || fields[0].value === '-') return undefined;
  let words = 1;
  while (words < fields.length && !isAbsolutePath(fields[words].value) && fields[words].value !== '-') words++;
  return words > 1 ? { words } : undefined;
}

function checkTrailingFields(kind: string, fields: Column[], at: (column: Column) => ReturnType<typeof lineRange>, findings: Finding[]): void {
  const names = ['GECOS', 'home directory', 'shell'];
  fields.forEach((column, position) => {
    if (column.value === '-') return;
    if (kind !== 'u') {
      findings.push(finding('sysusers-invalid-field', `Only 'u' lines take a ${names[position]}; write '-' (or drop the column) on a '${kind}' line.`, at(column), [fix("Write '-'", [replace(at(column), '-')])]));
      return;
    }
    if (position === 0 && /[:\n]/.test(column.value)) {
      findings.push(finding('sysusers-invalid-field', "A GECOS cannot contain ':' (the /etc/passwd field separator).", at(column), [fix("Replace ':' with ' '", [replace(at(column), quoteColumn(column.value.replace(/[:\n]/g, ' ')))])]));
    }
    if (position > 0 && !isAbsolutePath(column.value)) {
      findings.push(finding('sysusers-invalid-field', `The ${names[position]} must be an absolute path (such as ${position === 1 ? '/var/lib/NAME' : '/usr/sbin/nologin'}) or '-'.`, at(column)));
    }
  });
}
