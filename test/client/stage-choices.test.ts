import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stageChoices } from '../../client/src/commands/stageChoices';
import { buildInputsOf } from '../../server/src/image/build-inputs';
import { loadShellParser } from '../../server/src/lint/shell/parser';
import { parseContainerfile } from '../../server/src/lint/model/containerfile';

/** The "stage to build" pick shared by Build Image and Build for Multiple Architectures, from the language server's build inputs. */

test('offers the final stage first, then each earlier named stage as a --target', async () => {
  await loadShellParser();
  const text = 'FROM quay.io/fedora/fedora:42 AS tools\nRUN true\nFROM quay.io/fedora/fedora:42\nFROM quay.io/fedora/fedora-bootc:42 AS os\nARG VARIANT\n';
  const choices = stageChoices(buildInputsOf(parseContainerfile(text)).stages);
  assert.deepEqual(choices, [
    { label: 'Final stage', description: 'os' },
    { label: 'tools', description: 'FROM quay.io/fedora/fedora:42 (line 1)', target: 'tools' },
  ]);
});

test('a single stage needs no pick', async () => {
  await loadShellParser();
  assert.deepEqual(stageChoices(buildInputsOf(parseContainerfile('FROM quay.io/fedora/fedora-bootc:42\n')).stages), []);
  assert.deepEqual(stageChoices([]), []);
});
