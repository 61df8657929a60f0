/**
 * What the server does with an open document: lint it as a Containerfile, check it as a bootc
 * companion file, or leave it alone (the client also sends `config.toml`/`config.json` files
 * that belong to other tools; only their content tells).
 */
import { companionKind, type CompanionKind } from '../companion';
import { isCompanionCandidate } from '../companion/linter';

export type DocumentKind = { type: 'containerfile' } | { type: 'companion'; kind: CompanionKind } | { type: 'other' };

/** Languages that are never Containerfiles, whatever the file is called. */
const OTHER_LANGUAGES = new Set(['toml', 'json', 'jsonc', 'sysusers', 'tmpfiles', 'kickstart']);

/** The path of a document URI (`file:`, `untitled:` and other schemes), percent-decoding undone. */
export function documentPath(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

export function classifyDocument(uri: string, languageId: string, text: string): DocumentKind {
  const path = documentPath(uri);
  const kind = companionKind(path, text);
  if (kind) return { type: 'companion', kind };
  if (OTHER_LANGUAGES.has(languageId) || isCompanionCandidate(path)) return { type: 'other' };
  return { type: 'containerfile' };
}
