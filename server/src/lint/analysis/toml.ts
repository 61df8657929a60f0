/**
 * smol-toml ships ESM type declarations; the server is compiled as CommonJS, so its types are
 * imported with `resolution-mode` and the module is loaded through its CommonJS entry.
 */
import type * as Toml from 'smol-toml' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const toml = require('smol-toml') as typeof Toml;

export const parseToml: typeof Toml.parse = toml.parse;
export const TomlError: typeof Toml.TomlError = toml.TomlError;
export type TomlError = Toml.TomlError;
