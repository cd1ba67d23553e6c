// Kubelet configuration inside a kind cluster config, as a user meets it: the fields inside the
// `kubeadmConfigPatches` string are squiggled exactly (the string is YAML in YAML), the Problems panel
// lists them, and the quick fix edits the embedded block in place with its indentation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { withoutMessages } from './support/fixture-findings';
import { useSession } from './support/session';
import { FIXTURE_WORKSPACE } from './support/toolchain';

const FILE = 'kind-cluster.yaml';

describe('kubelet configuration in a kind cluster config', () => {
  const session = useSession({ name: 'kubelet' });

  it('squiggles the fields inside the kind patch, and "Pull images in parallel" rewrites the block in place', async () => {
    const { workbench, server } = session;
    await workbench.openFile(FILE);
    // The panel lists errors before warnings.
    const expected = [
      { file: FILE, source: 'podstart', code: 'kubelet-config-invalid', severity: 'error', line: 12, column: 27 },
      { file: FILE, source: 'podstart', code: 'kubelet-serial-image-pulls', severity: 'warning', line: 11, column: 30 },
    ];
    await workbench.waitForProblems((shown) => JSON.stringify(withoutMessages(shown.filter((problem) => problem.file === FILE))) === JSON.stringify(expected), `the two findings of ${FILE}`);
    const [serial] = await workbench.waitForSquigglesOnLine(11, (squiggles) => squiggles.length === 1, 'one squiggle on serializeImagePulls');
    assert.deepEqual(serial, { line: 11, severity: 'warning', text: 'true' });
    const [policy] = await workbench.waitForSquigglesOnLine(12, (squiggles) => squiggles.length === 1, 'one squiggle on cpuManagerPolicy');
    assert.deepEqual(policy, { line: 12, severity: 'error', text: 'Static' });
    await workbench.screenshot('kubelet-findings-inside-a-kind-patch');

    const offered = await workbench.openQuickFixes(11, 31);
    assert.equal(offered[0], 'Pull images in parallel (serializeImagePulls: false, maxParallelImagePulls: 5)');
    await workbench.screenshot('kubelet-the-Quick-Fix-menu-inside-a-kind-patch');
    await workbench.chooseQuickFix(offered[0]);
    await workbench.waitForSquigglesOnLine(11, (squiggles) => squiggles.length === 0, 'no squiggle on serializeImagePulls');
    await workbench.save();
    const original = readFileSync(path.join(FIXTURE_WORKSPACE, FILE), 'utf8');
    assert.equal(
      server.readWorkspaceFile(FILE),
      original.replace('        serializeImagePulls: true\n', '        serializeImagePulls: false\n').replace('        cpuManagerPolicy: Static\n', '        cpuManagerPolicy: Static\n        maxParallelImagePulls: 5\n'),
    );
  });
});
