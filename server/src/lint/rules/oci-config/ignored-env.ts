import { defineRule, shippedInstructions, type RuleContext } from '../../rule';
import { replaceInstruction } from '../../fixes';
import type { Instruction } from '../../model/containerfile';
import { substitute } from '../../model/variables';
import { shellQuote } from '../../text';
import { replaceWithRun } from '../../analysis/final-run';
import { variableReferences } from '../../analysis/variable-references';
import { bootsInit } from '../../analysis/init-command';
import type { Fix, Range } from '../../types';

const DROP_IN_DIR = '/usr/lib/systemd/system.conf.d';

interface EnvPair {
  name: string;
  /** `NAME=value` as written (the legacy `ENV NAME value` form rewritten). */
  assignment: string;
  /** Value with build variables substituted, undefined when not static. */
  value: string | undefined;
}

interface AstProperty {
  getName(): string;
  getValue(): string | null;
  getRange(): Range;
  getValueRange(): Range | null;
  getAssignmentOperator(): string | null;
}

function pairs(context: RuleContext, instruction: Instruction): EnvPair[] {
  const { text, lines } = context.file;
  const slice = (range: Range) => text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
  const properties = (instruction.ast as unknown as { getProperties(): AstProperty[] }).getProperties();
  return properties.map((property) => {
    const name = property.getName();
    const raw = property.getValue();
    const valueRange = property.getValueRange();
    let assignment: string;
    if (property.getAssignmentOperator() !== null) assignment = slice(property.getRange());
    else {
      // `ENV NAME some value` → `NAME="some value"`
      const written = valueRange ? slice(valueRange) : '';
      assignment = /^[^\s"'\\]*$/.test(written) ? `${name}=${written}` : `${name}="${written.replace(/\\\r?\n\s*/g, '').replace(/(["\\])/g, '\\$1')}"`;
    }
    const substituted = raw === null ? undefined : substitute(raw, instruction.scope);
    return { name, assignment, value: substituted && !substituted.unresolved && !substituted.value.includes('$') ? substituted.value : undefined };
  });
}

/** A drop-in file name not written elsewhere in the image. */
/** The first free drop-in name; the same for every ENV of a file, so computed once per analysis. */
function dropInPath(context: RuleContext): string {
  const fs = context.filesystem();
  let path = dropInPaths.get(fs);
  if (path === undefined) {
    const written = new Set(fs.writes.map((w) => w.path));
    path = `${DROP_IN_DIR}/99-env.conf`;
    for (let n = 50; n < 99; n++) {
      if (!written.has(`${DROP_IN_DIR}/${n}-env.conf`)) {
        path = `${DROP_IN_DIR}/${n}-env.conf`;
        break;
      }
    }
    dropInPaths.set(fs, path);
  }
  return path;
}

const dropInPaths = new WeakMap<object, string>();

export default defineRule({
  meta: {
    id: 'ignored-env',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'ENV is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, ENV included, is thrown away when a bootc image is installed: services and logins never see these variables, only the later build steps and `podman run` do. Use ARG for build-time values, and set runtime variables with Environment= in the unit or DefaultEnvironment= in a /usr/lib/systemd/system.conf.d/ drop-in.',
    fixable: true,
  },
  check(context) {
    const file = context.file;
    const envs = shippedInstructions(file, 'ENV');
    if (envs.length === 0) return;
    // Which shipped instructions use each variable (computed once: files can have thousands of lines).
    const uses = new Map<string, Instruction[]>();
    for (const i of file.shippedInstructions) {
      for (const name of new Set(variableReferences(file, i).map((r) => r.name))) {
        const list = uses.get(name);
        if (list) list.push(i);
        else uses.set(name, [i]);
      }
    }
    const usedAfter = (instruction: Instruction, name: string, sameStage: boolean) =>
      (uses.get(name) ?? []).some((i) => i.index > instruction.index && (i.stage === instruction.stage) === sameStage);
    for (const instruction of envs) {
      const envPairs = pairs(context, instruction);
      if (envPairs.length === 0) continue;
      // `ENV container=oci` + `CMD ["/sbin/init"]`: tells systemd it runs in a container under
      // `podman run`; the installed system must not see it, so nothing is lost (and no drop-in wanted).
      if (envPairs.every((p) => p.name === 'container') && bootsInit(file)) continue;
      // An ARG does not carry into stages built FROM this one, an ENV does.
      const usedInLaterStages = envPairs.some((p) => usedAfter(instruction, p.name, false));
      const indent = /^\s*/.exec(file.lines.lineText(instruction.range.start.line))?.[0] ?? '';
      const argLines = (subset: EnvPair[]) => subset.map((p, n) => `${n === 0 ? '' : indent}ARG ${p.assignment}`).join('\n');

      const fixes: Fix[] = [];
      if (!usedInLaterStages) {
        fixes.push({ title: 'Convert to ARG (build time only)', edits: [replaceInstruction(instruction, argLines(envPairs))] });
        if (envPairs.every((p) => p.value !== undefined)) {
          const environment = envPairs.map((p) => `"${`${p.name}=${p.value}`.replace(/(["\\])/g, '\\$1')}"`).join(' ');
          const path = dropInPath(context);
          const run = `RUN mkdir -p ${DROP_IN_DIR} && printf '%s\\n' '[Manager]' ${shellQuote(`DefaultEnvironment=${environment}`)} > ${path}`;
          // Keep the values for the later build steps of this stage that use them.
          const keep = envPairs.filter((p) => usedAfter(instruction, p.name, true));
          const text = keep.length > 0 ? `${argLines(keep)}\n${indent}${run}` : run;
          fixes.push({ title: `Move into a systemd drop-in (${path})`, edits: replaceWithRun(file, instruction, text) });
        }
      }
      context.report({
        range: instruction.range,
        message:
          'ENV is ignored on the installed system: services and logins never see it, only the later build steps and `podman run` do. Use ARG for build-time values; set runtime variables with Environment= in the service\'s unit or DefaultEnvironment= in a /usr/lib/systemd/system.conf.d/*.conf drop-in.',
        fixes,
      });
    }
  },
});
