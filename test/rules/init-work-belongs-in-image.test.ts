import { runRuleTests } from './harness';

/** A worker Deployment whose init containers are given as YAML lines at the initContainers indentation. */
const worker = (initContainers: string, kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: worker
  namespace: jobs
spec:
  selector:
    matchLabels:
      app: worker
  template:
    metadata:
      labels:
        app: worker
    spec:
      initContainers:
${initContainers}      containers:
        - name: worker
          image: registry.example.com/jobs/worker:7.0.2
          volumeMounts:
            - name: shared
              mountPath: /shared
      volumes:
        - name: shared
          emptyDir: {}
`;

runRuleTests('init-work-belongs-in-image', {
  valid: [
    {
      name: 'templating configuration with envsubst',
      text: worker(`        - name: render-config
          image: registry.example.com/tools/envsubst:1.4.2
          command: ["sh", "-c", "envsubst < /templates/worker.conf.tmpl > /shared/worker.conf"]
`),
    },
    {
      name: 'fixing ownership of a volume',
      text: worker(`        - name: fix-permissions
          image: busybox:1.36
          command: ["sh", "-c", "chown -R 1000:1000 /shared && chmod 0750 /shared"]
`),
    },
    {
      name: 'running database migrations',
      text: worker(`        - name: migrate
          image: registry.example.com/jobs/worker:7.0.2
          command: ["flask", "--app", "worker", "db", "upgrade"]
`),
    },
    {
      name: 'downloading model weights to a volume is per-pod data',
      text: worker(`        - name: fetch-model
          image: curlimages/curl:8.11.0
          command:
            - sh
            - -c
            - |
              curl -fL -o /shared/model.tar.gz https://storage.googleapis.com/acme-models/resnet50/v3/model.tar.gz
              tar -xzf /shared/model.tar.gz -C /shared
        - name: fetch-llm
          image: curlimages/curl:8.11.0
          command: ["curl", "-fL", "-o", "/shared/llama-3.2-1b.Q4_K_M.gguf", "https://huggingface.co/acme/llama-3.2-1b-gguf/resolve/main/llama-3.2-1b.Q4_K_M.gguf"]
`),
    },
    {
      name: 'a per-pod network sysctl is namespaced, and a web page is not a tool',
      text: worker(`        - name: tune-somaxconn
          image: busybox:1.36
          securityContext:
            privileged: true
          command: ["sysctl", "-w", "net.core.somaxconn=4096"]
        - name: install
          image: busybox:1.36
          command: ["wget", "-O", "/shared/index.html", "http://info.cern.ch"]
`),
    },
    {
      name: 'a DaemonSet is already the once-per-node place for node settings',
      text: worker(`        - name: max-map-count
          image: busybox:1.36
          securityContext:
            privileged: true
          command: ["sysctl", "-w", "vm.max_map_count=262144"]
`, 'DaemonSet'),
    },
  ],
  invalid: [
    {
      name: 'pip install of the requirements on every start',
      text: worker(`        - name: install-deps
          image: python:3.12-slim
          command: ["pip", "install", "--no-cache-dir", "--target", "/shared/site-packages", "-r", "/config/requirements.txt"]
`),
      findings: [{ line: 18, column: 20, message: 'Init container `install-deps` installs packages with `pip install --no-cache-dir --target /shared/site-packages -r /config/requirements.txt`: it repeats on every pod start what a Dockerfile step would do once' }],
    },
    {
      name: 'apt-get install in a shell script, pointed at the script',
      text: worker(`        - name: tools
          image: debian:bookworm-slim
          command: ["/bin/bash", "-c"]
          args:
            - apt-get update && apt-get install -y --no-install-recommends jq postgresql-client && cp /usr/bin/jq /usr/bin/psql /shared/
`),
      findings: [{ line: 20, column: 13, message: 'installs packages with `apt-get install -y --no-install-recommends jq postgresql-client`' }],
    },
    {
      name: 'downloading a binary and unpacking a release archive',
      text: worker(`        - name: kubectl
          image: curlimages/curl:8.11.0
          command: ["sh", "-c", "curl -sSLo /shared/kubectl https://dl.k8s.io/release/v1.31.4/bin/linux/amd64/kubectl && chmod +x /shared/kubectl"]
        - name: yq
          image: curlimages/curl:8.11.0
          command:
            - sh
            - -c
            - curl -sL https://example.com/yq/v4.44.6/yq.tgz | tar -xz -C /shared
`),
      findings: [
        { line: 18, column: 20, message: 'Init container `kubectl` downloads a tool or archive with `curl -sSLo /shared/kubectl https://dl.k8s.io/release/v1.31.4/bin/linux/amd64/kubectl`' },
        { line: 22, column: 13, message: 'Init container `yq` downloads a tool or archive with `curl -sL https://example.com/yq/v4.44.6/yq.tgz`' },
      ],
    },
    {
      name: 'cloning and building source, counted once with the rest mentioned',
      text: worker(`        - name: build-plugins
          image: node:22-alpine
          workingDir: /shared
          command:
            - sh
            - -ec
            - |
              git clone --depth 1 --branch v2.3.0 https://github.com/acme/worker-plugins.git plugins
              cd plugins
              npm ci --omit=dev
`),
      findings: [{ line: 20, column: 13, message: 'Init container `build-plugins` clones a repository with `git clone --depth 1 --branch v2.3.0 https://github.com/acme/worker-plugins.git plugins` (and 1 more such command)' }],
    },
    {
      name: 'node-wide kernel settings in a StatefulSet',
      text: worker(`        - name: max-map-count
          image: busybox:1.36
          securityContext:
            privileged: true
          command: ["sysctl", "-w", "vm.max_map_count=262144"]
        - name: disable-thp
          image: busybox:1.36
          securityContext:
            privileged: true
          command: ["sh", "-c", "echo never > /host-sys/kernel/mm/transparent_hugepage/enabled"]
          volumeMounts:
            - name: host-sys
              mountPath: /host-sys
`, 'StatefulSet'),
      findings: [
        { line: 20, column: 20, message: 'Init container `max-map-count` changes a node-wide kernel setting with `sysctl -w vm.max_map_count=262144`: every pod start repeats a change that lasts for the node' },
        { line: 25, column: 20, message: 'Set it once per node with a DaemonSet' },
      ],
    },
  ],
});
