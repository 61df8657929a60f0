import { defineRule, shippedInstructions } from '../../rule';
import type { Instruction } from '../../model/containerfile';
import { referencedVariables, substitute } from '../../model/variables';
import { replaceWithRun } from '../../analysis/final-run';
import type { Fix } from '../../types';

/** `--add-port=` values for the instruction's ports, or undefined when one cannot be written. */
function firewallPorts(instruction: Instruction): string[] | undefined {
  const ports: string[] = [];
  for (const argument of instruction.ast.getArguments()) {
    const written = argument.getValue();
    const { value, unresolved } = substitute(written, instruction.scope);
    let port = value;
    if (unresolved) {
      // The RUN sees build variables in its environment; ones not in scope would expand to nothing.
      if (!referencedVariables(written).every((name) => instruction.scope.has(name))) return undefined;
      port = written;
    }
    const slash = port.lastIndexOf('/');
    const number = slash >= 0 ? port.slice(0, slash) : port;
    const protocol = slash >= 0 ? port.slice(slash + 1).toLowerCase() : 'tcp';
    if (number === '' || !/^[A-Za-z0-9_${}:-]+$/.test(number) || !['tcp', 'udp', 'sctp'].includes(protocol)) return undefined;
    ports.push(`--add-port=${number}/${protocol}`);
  }
  return ports.length > 0 ? ports : undefined;
}

export default defineRule({
  meta: {
    id: 'ignored-expose',
    defaultSeverity: 'warning',
    category: 'oci-config',
    description: 'EXPOSE is ignored when the image is installed as an operating system.',
    explanation:
      'The OCI configuration, EXPOSE included, is thrown away when a bootc image is installed: it opens no port, the host\'s firewall decides. Open the port in the image\'s firewall configuration instead, e.g. `RUN firewall-offline-cmd --add-port=8080/tcp`.',
    fixable: true,
  },
  check(context) {
    for (const instruction of shippedInstructions(context.file, 'EXPOSE')) {
      const ports = firewallPorts(instruction);
      const fixes: Fix[] = [];
      if (ports) {
        const run = `RUN firewall-offline-cmd ${ports.join(' ')}`;
        fixes.push({ title: `Replace with ${run}`, edits: replaceWithRun(context.file, instruction, run) });
      }
      context.report({
        range: instruction.range,
        message:
          `EXPOSE is ignored on the installed system: it opens no port, the host's firewall decides. Open the port in the image's firewall instead, e.g. RUN firewall-offline-cmd ${ports?.join(' ') ?? '--add-port=8080/tcp'} (needs firewalld in the image).`,
        fixes,
      });
    }
  },
});
