/**
 * SHA-512 crypt (`$6$salt$hash`, Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512"), the
 * hash /etc/shadow, kickstart's `--iscrypted` and the builder's config.toml accept. Hashing the
 * password before writing a file keeps the plain password off the disk. No `vscode` import.
 */
import { createHash, randomBytes } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DEFAULT_ROUNDS = 5000;

/** The order in which the 64 digest bytes are encoded, three at a time (the last one alone). */
const ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
];

/** A random 16-character salt from the crypt alphabet. */
export function randomSalt(): string {
  return [...randomBytes(16)].map((byte) => ITOA64[byte & 63]).join('');
}

/** `$6$<salt>$<hash>` of `password`; `salt` is cut to 16 characters as crypt(3) does. */
export function sha512Crypt(password: string, salt: string = randomSalt(), rounds = DEFAULT_ROUNDS): string {
  if (!/^[./0-9A-Za-z]*$/.test(salt)) throw new Error('A crypt salt holds only ./0-9A-Za-z.');
  const p = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 16), 'utf8');
  const sha = (...parts: Buffer[]) => {
    const hash = createHash('sha512');
    for (const part of parts) hash.update(part);
    return hash.digest();
  };
  const repeat = (block: Buffer, length: number) => Buffer.concat(Array.from({ length: Math.ceil(length / block.length) }, () => block)).subarray(0, length);

  const b = sha(p, s, p);
  const a = createHash('sha512').update(p).update(s).update(repeat(b, p.length));
  for (let length = p.length; length > 0; length >>= 1) a.update(length & 1 ? b : p);
  let c = a.digest();

  const pBytes = repeat(sha(...Array.from({ length: p.length }, () => p)), p.length);
  const sBytes = repeat(sha(...Array.from({ length: 16 + c[0] }, () => s)), s.length);
  for (let round = 0; round < rounds; round++) {
    const hash = createHash('sha512');
    hash.update(round & 1 ? pBytes : c);
    if (round % 3 !== 0) hash.update(sBytes);
    if (round % 7 !== 0) hash.update(pBytes);
    hash.update(round & 1 ? c : pBytes);
    c = hash.digest();
  }

  let encoded = '';
  const emit = (value: number, characters: number) => {
    for (let i = 0; i < characters; i++, value >>= 6) encoded += ITOA64[value & 63];
  };
  for (const [x, y, z] of ORDER) emit((c[x] << 16) | (c[y] << 8) | c[z], 4);
  emit(c[63], 2);
  const roundsPart = rounds === DEFAULT_ROUNDS ? '' : `rounds=${rounds}$`;
  return `$6$${roundsPart}${s.toString('utf8')}$${encoded}`;
}

/** True for a crypt(3) hash (`$1$`, `$5$`, `$6$`, `$y$`, `$2b$`...) rather than a plain password. */
export function isCryptHash(value: string): boolean {
  return /^\$(?:1|2[abxy]?|5|6|y|gy|7)\$[^\s]+\$[^\s]+$/.test(value);
}
