import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/**
 * One tree-sitter parser for bash, loaded once per process. The wasm files sit beside the
 * bundle (copied by the build) or in node_modules when running from sources.
 */
let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

function locate(fileName: string, packageName: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', packageName, fileName);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`Cannot find ${fileName} (from ${packageName}) beside ${__dirname}`);
  }
}

export function loadShellParser(): Promise<Parser> {
  if (parser) return Promise.resolve(parser);
  loading ??= (async () => {
    await Parser.init({ locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter') });
    const bash = await Language.load(fs.readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash')));
    const created = new Parser();
    created.setLanguage(bash);
    parser = created;
    return created;
  })();
  return loading;
}

export function shellParser(): Parser {
  if (!parser) throw new Error('The shell parser is not loaded: await loadShellParser() (or Linter.create()) first.');
  return parser;
}
