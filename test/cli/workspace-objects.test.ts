/**
 * The files of one `podstart check` run form a workspace: a Deployment in one file is checked
 * against the ResourceClaimTemplates another file defines.
 */
import assert from 'node:assert/strict';
import { jsonReport, onlyRules, TempProject } from './harness';

const RULE = 'resource-claim-reference-unresolved';

const CLAIM_TEMPLATES = `apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: single-gpu
  namespace: media
spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: gpu.nvidia.com
`;

/** The template reference is on line 23, its value from column 36. */
const ENCODER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: encoder
  namespace: media
spec:
  selector:
    matchLabels:
      app: encoder
  template:
    metadata:
      labels:
        app: encoder
    spec:
      containers:
      - name: encoder
        image: ghcr.io/acme/encoder:0.3.0
        resources:
          claims:
          - name: gpu
      resourceClaims:
      - name: gpu
        resourceClaimTemplateName: single-gpu
`;

describe('podstart check: objects defined in other files', () => {
  let project: TempProject;
  afterEach(() => project.dispose());

  const findings = async (args: string[]) =>
    jsonReport(await project.run(['check', ...args, '--format', 'json', ...onlyRules(RULE)])).files.flatMap((file) => file.findings.map((finding) => ({ path: file.path, line: finding.line, column: finding.column, endColumn: finding.endColumn, message: finding.message })));

  it('reports a Deployment naming a template that another file defines under a misspelt name, at the reference', async () => {
    project = new TempProject({ 'deploy/claims.yaml': CLAIM_TEMPLATES.replace('name: single-gpu', 'name: singel-gpu'), 'deploy/encoder.yaml': ENCODER });
    const found = await findings(['deploy']);
    assert.deepEqual(
      found.map(({ path, line, column, endColumn }) => ({ path, line, column, endColumn })),
      [{ path: 'deploy/encoder.yaml', line: 23, column: 36, endColumn: 46 }],
    );
    assert.match(found[0].message, /^The pod stays Pending at scheduling: `resourceClaimTemplateName: single-gpu` names a ResourceClaimTemplate that is not defined in namespace `media`, where the manifests define `singel-gpu`: did you mean `singel-gpu`\?/);
  });

  it('is silent when the other file defines the template, and when only the Deployment is checked', async () => {
    project = new TempProject({ 'deploy/claims.yaml': CLAIM_TEMPLATES, 'deploy/encoder.yaml': ENCODER, 'other/claims.yaml': CLAIM_TEMPLATES.replace('name: single-gpu', 'name: singel-gpu') });
    assert.deepEqual(await findings(['deploy']), []);
    // The files of the run are the workspace: a file not checked defines nothing.
    assert.deepEqual(await findings(['deploy/encoder.yaml']), []);
    // Both claims files in the run: the template the Deployment names is among them.
    assert.deepEqual(await findings(['.']), []);
  });
});
