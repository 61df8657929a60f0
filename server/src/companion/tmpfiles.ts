/**
 * Checks of tmpfiles.d(5) files (`/usr/lib/tmpfiles.d/*.conf`): on bootc, the way to create
 * directories and files in /var and /etc on the booted system, since content the image puts in
 * /var is only copied on the first install.
 */
import { isIgnoredLine, splitColumns, type Column } from './columns';
import { finding, fix, lineRange, replace, textLines } from './findings';
import { isValidId, isValidUserName } from './sysusers';
import type { Finding, Range } from './types';

const LETTERS = new Set('fwdDevqQpLcbCxXrRzZtThHaA'.split(''));
const PLUS_ALLOWED = new Set('fwpLcbCaA'.split(''));
/** Types that write nothing (they only exclude paths from cleaning). */
const NON_WRITING = new Set(['x', 'X']);
const NEEDS_ARGUMENT: Record<string, string> = {
  w: 'the text to write',
  c: 'the device number (major:minor)',
  b: 'the device number (major:minor)',
  a: 'the ACL to set (such as u:app:rwx)',
  A: 'the ACL to set (such as u:app:rwx)',
  h: 'the file attributes (such as +i)',
  H: 'the file attributes (such as +i)',
  t: 'the extended attributes (such as security.SMACK64=app)',
  T: 'the extended attributes (such as security.SMACK64=app)',
};
/** Letters systemd-tmpfiles still reads but deprecated, and what to write instead. */
const DEPRECATED: Record<string, { replacement: string; why: string }> = {
  F: { replacement: 'f+', why: "'F' (truncate and write a file) is deprecated; 'f+' does the same" },
  m: { replacement: 'z', why: "'m' (adjust mode and owner) is deprecated; 'z' does the same" },
};
const TIME_UNIT = '(?:usec|us|µs|msec|ms|seconds|second|sec|s|minutes|minute|min|months|month|M|m|hours|hour|hr|h|days|day|d|weeks|week|w|years|year|y)';
const TIME_SPAN = new RegExp(`^(?:\\d+(?:\\.\\d+)?\\s*${TIME_UNIT}?\\s*)+$`);

/** True for a tmpfiles.d age: `-`, or a time span, with an optional `~` and age-by prefix (`cmA:`). */
export function isValidAge(age: string): boolean {
  if (age === '-') return true;
  let rest = age;
  const ageBy = /^([aAbBcCmM]+):/.exec(rest);
  if (ageBy) rest = rest.slice(ageBy[0].length);
  if (rest.startsWith('~')) rest = rest.slice(1);
  return rest.length > 0 && TIME_SPAN.test(rest);
}

/** True when a path is below /usr (or a merged-/usr symlink) but not below /usr/local (→ /var/usrlocal on bootc). */
export function isReadOnlyOnBootc(path: string): boolean {
  if (/^\/usr\/local(\/|$)/.test(path)) return false;
  return /^\/(usr|bin|sbin|lib|lib64)(\/|$)/.test(path);
}

/** Validates a tmpfiles.d file. */
export function validateTmpfiles(text: string): Finding[] {
  const findings: Finding[] = [];
  textLines(text).forEach((line, lineNumber) => {
    if (isIgnoredLine(line)) return;
    const columns = splitColumns(line);
    const at = (column: Column): Range => lineRange(lineNumber, column.start, column.end);
    const unterminated = columns.slice(0, 6).find((column) => column.unterminated);
    if (unterminated) {
      findings.push(finding('tmpfiles-invalid-line', 'This quote is never closed: systemd-tmpfiles cannot parse the line and skips it. Close the quote.', at(unterminated)));
      return;
    }
    const typeColumn = columns[0];
    const parsed = /^([A-Za-z])(\+?)([!\-=~^$?]*)$/.exec(typeColumn.raw);
    let letter = parsed?.[1] ?? '';
    const deprecated = DEPRECATED[letter];
    if (parsed && deprecated) {
      const replacement = deprecated.replacement + (parsed[2] && !deprecated.replacement.endsWith('+') ? parsed[2] : '') + parsed[3];
      findings.push(finding('tmpfiles-invalid-line', `${deprecated.why}: write '${replacement}'.`, at(typeColumn), [fix(`Write '${replacement}'`, [replace(at(typeColumn), replacement)])], 'warning'));
      letter = deprecated.replacement[0];
    } else if (!parsed || !LETTERS.has(letter) || (parsed[2] && !PLUS_ALLOWED.has(letter))) {
      findings.push(finding('tmpfiles-invalid-line', `'${typeColumn.raw}' is not a tmpfiles.d type: use a type letter (f w d D e v q Q p L c b C x X r R z Z t T h H a A; '+' only after f w p L c b C a A) followed by optional modifiers (! - = ~ ^ $ ?). systemd-tmpfiles skips this line.`, at(typeColumn)));
      return;
    }
    const pathColumn = columns[1];
    if (!pathColumn) {
      findings.push(finding('tmpfiles-invalid-line', `A '${typeColumn.raw}' line needs a path after the type: \`${typeColumn.raw} /var/lib/NAME …\`.`, at(typeColumn)));
      return;
    }
    checkPath(letter, pathColumn, at(pathColumn), findings);
    const [modeColumn, userColumn, groupColumn, ageColumn] = columns.slice(2, 6);
    if (modeColumn && modeColumn.value.startsWith('/')) {
      const insert = lineRange(lineNumber, modeColumn.start, modeColumn.start);
      findings.push(finding('tmpfiles-invalid-mode', `'${modeColumn.raw}' is in the mode column: the argument comes after five columns (Type Path Mode User Group Age). Fill mode, user, group and age with '-'.`, at(modeColumn), [fix("Insert '- - - -' before the argument", [replace(insert, '- - - - ')])]));
      return;
    }
    if (modeColumn && !isValidMode(modeColumn.value)) {
      findings.push(finding('tmpfiles-invalid-mode', `'${modeColumn.value}' is not a file mode: write up to four octal digits (0755, 0640, 1777), optionally prefixed with '~' or ':', or '-' for the default.`, at(modeColumn)));
    }
    for (const [column, what] of [[userColumn, 'user'], [groupColumn, 'group']] as const) {
      if (column && !isValidOwner(column.value)) {
        findings.push(finding('tmpfiles-invalid-owner', `'${column.value}' is not a valid ${what}: write a name (letters, digits, '_' and '-', at most 31 characters; declare it in sysusers.d so it exists on the booted system), a numeric ID, or '-'.`, at(column)));
      }
    }
    if (ageColumn && !isValidAge(ageColumn.value)) {
      findings.push(finding('tmpfiles-invalid-age', `'${ageColumn.value}' is not an age: write a time span such as 10d, 12h or 1w (optionally with '~' or an age-by prefix like cmA:), or '-' to never clean.`, at(ageColumn)));
    }
    const argument = columns[6];
    const needs = NEEDS_ARGUMENT[letter];
    if (needs && (!argument || argument.value === '')) {
      findings.push(finding('tmpfiles-missing-argument', `A '${typeColumn.raw}' line needs an argument after the age column: ${needs}. systemd-tmpfiles refuses the line without it.`, at(typeColumn)));
    }
  });
  return findings;
}

function checkPath(letter: string, column: Column, range: Range, findings: Finding[]): void {
  const path = column.value;
  if (!path.startsWith('/') && !path.startsWith('%')) {
    findings.push(finding('tmpfiles-invalid-path', `'${path}' is not an absolute path: tmpfiles.d paths start with '/'.`, range));
    return;
  }
  // Paths below the legacy links, as systemd-tmpfiles warns; the links themselves are created
  // by lines such as systemd's own `L /var/run - - - - ../run`.
  const legacy = /^\/var\/(run|lock)\/./.exec(path);
  if (legacy) {
    const modern = legacy[1] === 'run' ? path.replace(/^\/var\/run/, '/run') : path.replace(/^\/var\/lock/, '/run/lock');
    findings.push(finding('tmpfiles-invalid-path', `/var/${legacy[1]} is a symlink to ${legacy[1] === 'run' ? '/run' : '/run/lock'}; systemd-tmpfiles rewrites the path and warns. Write '${modern}'.`, range, [fix(`Write '${modern}'`, [replace(range, modern)])], 'warning'));
    return;
  }
  if (!NON_WRITING.has(letter) && isReadOnlyOnBootc(path)) {
    findings.push(finding('tmpfiles-read-only-path', `${path} is below /usr, which is read-only on a booted bootc system: systemd-tmpfiles cannot change it there. Put this content into the image at build time (COPY or RUN in the Containerfile), or use a path under /var, /etc or /run (/usr/local is fine: it is /var/usrlocal on bootc).`, range));
  }
}

function isValidMode(mode: string): boolean {
  if (mode === '-') return true;
  return /^[~:]{0,2}[0-7]{1,4}$/.test(mode);
}

function isValidOwner(owner: string): boolean {
  if (owner === '-') return true;
  const name = owner.startsWith(':') ? owner.slice(1) : owner;
  return isValidId(name) || isValidUserName(name) || /^%[a-zA-Z]$/.test(name);
}
