/**
 * Which variable names look like credentials. Kept free of imports so that the extension
 * client can share it (it redacts such build-argument values) without bundling the parser.
 * (Moved out of analysis/secrets.ts, which re-exports it: `export { isSecretLikeName }`.)
 */

/** Name parts that hold a location or a name, not the secret itself (`TOKEN_FILE`, `SECRET_ID`). */
const LOCATION_SUFFIXES = ['_DIR', '_DIRECTORY', '_PATH', '_FILE', '_FILENAME', '_ID', '_NAME', '_URL', '_URI', '_LOCATION'];

/**
 * True for build-variable names like `*PASSWORD*`, `*PASSWD*`, `*SECRET*`, `*TOKEN*`,
 * `*API_KEY*`, `*PRIVATE_KEY*`, `*CREDENTIAL*`, except names that hold a location or a name.
 * Matching works on `_`-separated parts so that `TOKENIZERS_PARALLELISM` is not a token.
 */
export function isSecretLikeName(name: string): boolean {
  const upper = name.toUpperCase();
  if (LOCATION_SUFFIXES.some((suffix) => upper.endsWith(suffix))) return false;
  if (upper.includes('PASSWORD') || upper.includes('PASSWD')) return true;
  const parts = upper.split(/[^A-Z0-9]+/).filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    // `MAX_TOKENS` counts tokens; `GITHUB_TOKEN`, `CLIENTSECRET`, `APP_SECRETS` hold secrets.
    if (/(TOKEN|SECRETS?)$/.test(part)) return true;
    if (part.startsWith('CREDENTIAL')) return true;
    if (part === 'APIKEY' || part === 'PRIVATEKEY') return true;
    if ((part === 'API' || part === 'PRIVATE') && parts[i + 1] === 'KEY') return true;
  }
  return false;
}
