/**
 * What building a Containerfile may need from the user, read from the parsed model: the
 * stages to choose a `--target` from, ARGs without a default, and the ids of secret mounts.
 */
import type { Containerfile } from '../lint/model/containerfile';
import type { BuildInputs } from '../lsp/protocol';

export function buildInputsOf(file: Containerfile): BuildInputs {
  const argsWithoutDefault = new Set<string>();
  const secretIds = new Set<string>();
  // Global ARGs (before the first FROM) are not stage instructions: read them from the AST.
  for (const ast of file.ast.getInstructions()) {
    if (ast.getKeyword() === 'ARG') {
      const properties = (ast as unknown as { getProperties?(): Array<{ getName(): string; getValue(): string | null }> }).getProperties?.() ?? [];
      for (const property of properties) {
        const name = property.getName();
        // An in-stage `ARG X` takes the default of a global `ARG X=...`.
        if (property.getValue() === null && file.globalArgs.get(name)?.value === undefined) argsWithoutDefault.add(name);
      }
    }
  }
  for (const instruction of file.instructions) {
    for (const mount of instruction.run?.mounts ?? []) {
      if (mount.type !== 'secret') continue;
      // Without id=, BuildKit and buildah use the target's file name (default target /run/secrets/<id>).
      const id = mount.id ?? mount.target?.split('/').pop();
      if (id) secretIds.add(id);
    }
  }
  return {
    stages: file.stages.map((stage) => ({ name: stage.name, baseImage: stage.baseImage, line: stage.from.range.start.line })),
    argsWithoutDefault: [...argsWithoutDefault],
    secretIds: [...secretIds],
  };
}
