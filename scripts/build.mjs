// Bundles the client, the language server and the CLI with esbuild, and copies the
// tree-sitter wasm files beside the server bundle (the parser loads them at run time).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
import { bundleOptions } from './esbuild-options.mjs';

const common = bundleOptions(process.argv.includes('--production'));

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: `#!/usr/bin/env node\n${common.banner.js}` } }),
]);
chmodSync('server/out/cli.js', 0o755);

mkdirSync('server/out', { recursive: true });
copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm'), 'server/out/web-tree-sitter.wasm');
copyFileSync(join(dirname(require.resolve('tree-sitter-bash/package.json')), 'tree-sitter-bash.wasm'), 'server/out/tree-sitter-bash.wasm');
