import { runRuleTests } from './harness';

const deployment = (image: string, policy: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          image: ${image}
          imagePullPolicy: ${policy} # keep this comment
          ports:
            - containerPort: 8080
`;

runRuleTests('pull-always-immutable-image', {
  valid: [
    { name: 'Always on a mutable tag is deliberate', text: deployment('nginx:latest', 'Always') },
    { name: 'Always on a moving minor tag', text: deployment('python:3.12-slim', 'Always') },
    { name: 'IfNotPresent on a pinned tag', text: deployment('nginx:1.27.3', 'IfNotPresent') },
  ],
  invalid: [
    {
      name: 'Always on a pinned version tag',
      text: deployment('ghcr.io/acme/api:v2.4.1', 'Always'),
      findings: [{ line: 12, column: 28, message: 'Container `api` pins its image to the version tag `:v2.4.1`' }],
      output: deployment('ghcr.io/acme/api:v2.4.1', 'IfNotPresent'),
    },
    {
      name: 'Always on a digest, in an init container',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: migrate
spec:
  initContainers:
  - name: schema
    image: registry.example.com:5000/db/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    imagePullPolicy: "Always"
  containers:
  - name: app
    image: registry.example.com:5000/db/app:1.0.0
`,
      findings: [{ line: 9, column: 22, message: 'Init container `schema` pins its image by digest' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: migrate
spec:
  initContainers:
  - name: schema
    image: registry.example.com:5000/db/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    imagePullPolicy: IfNotPresent
  containers:
  - name: app
    image: registry.example.com:5000/db/app:1.0.0
`,
    },
  ],
});
