// esbuild settings shared by the build (scripts/build.mjs) and the benchmark's core bundle.
export function bundleOptions(production = false) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // ESM dependencies (web-tree-sitter) use import.meta.url, which is empty in a CommonJS bundle.
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: 'var __importMetaUrl = require("url").pathToFileURL(__filename).href;' },
  };
}
