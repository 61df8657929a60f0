import { defineRule } from '../../rule';
import { insertLinesAfter } from '../../fixes';
import type { Containerfile, Instruction, Stage } from '../../model/containerfile';
import { variableReferences } from '../../analysis/variable-references';

/** Build arguments every RUN sees without a declaration (BuildKit/buildah predefined proxy args). */
const PREDEFINED = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]));

interface Declaration {
  instruction: Instruction | undefined;
  /** `NAME=value` as written, or `NAME`. */
  text: string;
  hasValue: boolean;
}

interface AstProperty {
  getName(): string;
  getValue(): string | null;
  getRange(): { start: { line: number; character: number }; end: { line: number; character: number } };
}

function properties(instruction: Instruction): AstProperty[] {
  return (instruction.ast as unknown as { getProperties?(): AstProperty[] }).getProperties?.() ?? [];
}

/** Every `ARG` declaration in the file by name (global ones with `instruction` on the global ARG line). */
function declarations(file: Containerfile): Map<string, Declaration[]> {
  const result = new Map<string, Declaration[]>();
  const add = (name: string, declaration: Declaration) => result.set(name, [...(result.get(name) ?? []), declaration]);
  const byAst = new Map(file.instructions.map((i) => [i.ast, i]));
  for (const ast of file.ast.getInstructions()) {
    if (ast.getKeyword().toUpperCase() !== 'ARG') continue;
    const instruction = byAst.get(ast);
    for (const property of (ast as unknown as { getProperties(): AstProperty[] }).getProperties()) {
      const range = property.getRange();
      const text = file.text.slice(file.lines.offsetAt(range.start), file.lines.offsetAt(range.end));
      add(property.getName(), { instruction, text, hasValue: property.getValue() !== null });
    }
  }
  return result;
}

function where(declaration: Declaration, stage: Stage, at: Instruction): string {
  const declaredIn = declaration.instruction?.stage;
  if (!declaration.instruction) return 'before the first FROM';
  if (declaredIn === stage) return declaration.instruction.index > at.index ? 'later in this stage' : 'in this stage';
  if (declaredIn && isAncestor(declaredIn, stage)) return `in the parent stage${declaredIn.name ? ` "${declaredIn.name}"` : ''}`;
  return `in another stage${declaredIn?.name ? ` ("${declaredIn.name}")` : ''}`;
}

function isAncestor(candidate: Stage, stage: Stage): boolean {
  for (let s = stage.parent; s; s = s.parent) if (s === candidate) return true;
  return false;
}

/** What to redeclare at the top of the stage: `ARG NAME` picks up a global default; otherwise copy a static default. */
function redeclaration(file: Containerfile, name: string, found: Declaration[], stage: Stage): string {
  if (file.globalArgs.has(name)) return `ARG ${name}`;
  const ranked = [...found].sort((a, b) => rank(a, stage) - rank(b, stage));
  const withValue = ranked.find((d) => d.hasValue && !d.text.includes('$'));
  return `ARG ${withValue ? withValue.text : name}`;
}

function rank(declaration: Declaration, stage: Stage): number {
  const declaredIn = declaration.instruction?.stage;
  if (declaredIn === stage) return 0;
  if (declaredIn && isAncestor(declaredIn, stage)) return 1;
  return 2;
}

export default defineRule({
  meta: {
    id: 'arg-out-of-scope',
    defaultSeverity: 'warning',
    category: 'build-arguments',
    description: 'A build argument used where it is not in scope expands to an empty string.',
    explanation:
      'An ARG before the first FROM is visible only in FROM lines, and a stage\'s ARG does not carry into stages built FROM it: used elsewhere, the variable silently expands to an empty string (`/home/${USER}/` becomes `/home//`). Redeclare it with `ARG NAME` at the top of the stage that uses it.',
    fixable: true,
  },
  check(context) {
    const file = context.file;
    const declared = declarations(file);
    if (declared.size === 0) return;
    for (const stage of file.shippedStages) {
      for (const instruction of stage.instructions) {
        const sameInstruction = new Set(instruction.keyword === 'ARG' ? properties(instruction).map((p) => p.getName()) : []);
        const reported = new Set<string>();
        for (const ref of variableReferences(file, instruction)) {
          const found = declared.get(ref.name);
          if (!found || reported.has(ref.name) || instruction.scope.has(ref.name) || sameInstruction.has(ref.name) || PREDEFINED.has(ref.name)) continue;
          reported.add(ref.name);
          const first = [...found].sort((a, b) => rank(a, stage) - rank(b, stage))[0];
          const line = redeclaration(file, ref.name, found, stage);
          context.report({
            range: ref.range,
            message:
              `$${ref.name} is not in scope here: it is declared as ARG ${where(first, stage, instruction)}, but that does not reach this point, so it expands to an empty string. Redeclare it with "${line}" at the top of this stage.`,
            fixes: [{ title: `Add "${line}" at the top of the stage`, edits: [insertLinesAfter(file, stage.from, line)] }],
          });
        }
      }
    }
  },
});
