import { runRuleTests } from './harness';

/** A Django web Deployment whose init containers are given as YAML lines at the initContainers indentation. */
const django = (initContainers: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      initContainers:
${initContainers}      containers:
        - name: web
          image: registry.example.com/shop/web:5.3.1
          command: ["gunicorn", "shop.wsgi", "--bind", "0.0.0.0:8000"]
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8000
`;

runRuleTests('init-container-only-waits', {
  valid: [
    {
      name: 'a migration that waits for the database first does real work',
      text: django(`        - name: migrate
          image: registry.example.com/shop/web:5.3.1
          command: ["/wait-for-it.sh", "postgres:5432", "-t", "60", "--", "python", "manage.py", "migrate", "--noinput"]
`),
    },
    {
      name: 'copying configuration into a shared volume',
      text: django(`        - name: copy-static
          image: registry.example.com/shop/web:5.3.1
          command:
            - sh
            - -c
            - |
              set -e
              cp -r /app/static/. /static/
              echo "static files copied"
          volumeMounts:
            - name: static
              mountPath: /static
`),
    },
    {
      name: 'waiting for a file another DaemonSet writes on the node',
      text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: nvidia-device-plugin-daemonset
  namespace: gpu-operator
spec:
  selector:
    matchLabels:
      app: nvidia-device-plugin-daemonset
  template:
    metadata:
      labels:
        app: nvidia-device-plugin-daemonset
    spec:
      initContainers:
        - name: toolkit-validation
          image: nvcr.io/nvidia/cloud-native/gpu-operator-validator:v24.9.0
          command: ['sh', '-c']
          args: ["until [ -f /run/nvidia/validations/toolkit-ready ]; do echo waiting for nvidia container stack to be setup; sleep 5; done"]
          volumeMounts:
            - name: run-nvidia-validations
              mountPath: /run/nvidia/validations
      containers:
        - name: nvidia-device-plugin
          image: nvcr.io/nvidia/k8s-device-plugin:v0.17.0
`,
    },
    {
      name: 'a one-shot check that fails the pod is not a wait loop',
      text: django(`        - name: check-frontend
          image: busybox:1.36
          command:
            - /bin/sh
            - -exc
            - |
              STATUSCODE=$(wget --server-response http://frontend:80 2>&1 | awk '/^  HTTP/{print $2}')
              if test $STATUSCODE -ne 200; then
                  echo "Error: Could not reach frontend - Status code: \${STATUSCODE}"
                  exit 1
              fi
`),
    },
    {
      name: 'a retry loop that registers the pod does work',
      text: django(`        - name: register
          image: curlimages/curl:8.11.0
          command: ["sh", "-c", "until curl -fsS -X POST http://registry:8080/instances -d \\"{\\\\\\"host\\\\\\": \\\\\\"$HOSTNAME\\\\\\"}\\"; do sleep 3; done"]
`),
    },
    {
      name: 'an app container that sleeps is a toolbox, not an init container',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: toolbox
spec:
  template:
    spec:
      containers:
        - name: toolbox
          image: nicolaka/netshoot:v0.13
          command: ["sleep", "infinity"]
`,
    },
  ],
  invalid: [
    {
      name: 'a pg_isready polling loop',
      text: django(`        - name: wait-for-postgres
          image: postgres:16-alpine
          command: ['sh', '-c', 'until pg_isready -h postgres -p 5432; do echo waiting for database; sleep 2; done;']
`),
      findings: [{ line: 19, column: 20, message: 'Init container `wait-for-postgres` only waits for a dependency (it polls `pg_isready -h postgres -p 5432` every 2 s): no app container starts until it succeeds, so every pod start waits, serially, for the dependency plus up to 2 s of polling lag' }],
    },
    {
      name: 'a fixed sleep, with the number of seconds',
      text: django(`        - name: give-consul-time
          image: busybox:1.36
          command:
            - sleep
            - "45"
`),
      findings: [{ line: 20, column: 13, message: 'Init container `give-consul-time` only sleeps 45 s: every start of this pod, including each restart, rollout and scale-up, waits 45 s' }],
    },
    {
      name: 'a while-not loop written in args, pointed at the args',
      text: django(`        - name: wait-for-redis
          image: busybox:1.36
          command: ["/bin/sh", "-c"]
          args:
            - |
              # redis comes up with the chart
              while ! nc -z redis-master 6379; do
                echo "waiting for redis"
                sleep 3
              done
`),
      findings: [{ line: 21, column: 13, message: 'polls `nc -z redis-master 6379` every 3 s' }],
    },
    {
      name: 'a retry loop with its interval in a variable, like the Online Boutique load generator',
      text: django(`        - name: frontend-check
          image: busybox:1.36
          command:
            - /bin/sh
            - -exc
            - |
              MAX_RETRIES=12
              RETRY_INTERVAL=10
              for i in $(seq 1 $MAX_RETRIES); do
                STATUSCODE=$(wget --server-response http://\${FRONTEND_ADDR} 2>&1 | awk '/^  HTTP/{print $2}')
                if [ $STATUSCODE -eq 200 ]; then
                  exit 0
                fi
                sleep $RETRY_INTERVAL
              done
              exit 1
`),
      findings: [{ line: 20, column: 13, message: 'every 10 s' }],
    },
    {
      name: 'a wait for a proxy in the same pod suggests a native sidecar from 1.29',
      text: django(`        - name: wait-for-proxy
          image: curlimages/curl:8.11.0
          command: ["sh", "-c", "until curl -fsS http://127.0.0.1:15021/healthz/ready; do sleep 1; done"]
`),
      findings: [{ line: 19, column: 20, message: 'make that container a native sidecar' }],
    },
    {
      name: 'before native sidecars, the same wait gets the retry advice',
      text: django(`        - name: wait-for-proxy
          image: curlimages/curl:8.11.0
          command: ["sh", "-c", "until curl -fsS http://127.0.0.1:15021/healthz/ready; do sleep 1; done"]
`),
      settings: { kubernetesVersion: '1.28' },
      findings: [{ line: 19, column: 20, message: 'Let the app retry its connections' }],
    },
    {
      name: 'waiting tools: wait-for-it, kubectl wait and the k8s-wait-for image',
      text: django(`        - name: wait-for-rabbitmq
          image: registry.example.com/tools/wait-for-it:2.2.4
          command: ["/wait-for-it.sh", "rabbitmq:5672", "-t", "120"]
        - name: wait-for-migration
          image: bitnami/kubectl:1.31.4
          command:
            - kubectl
            - wait
            - --for=condition=complete
            - job/web-migrate
            - --timeout=300s
        - name: wait-for-search
          image: ghcr.io/groundnuty/k8s-wait-for:v2.0
          args: ["pod", "-lapp=opensearch"]
`),
      findings: [
        { line: 19, column: 20, message: 'it waits with `/wait-for-it.sh rabbitmq:5672 -t 120`' },
        { line: 23, column: 13, message: 'it waits with `kubectl wait --for=condition=complete job/web-migrate' },
        { line: 30, column: 17, message: 'Init container `wait-for-search` only waits for a dependency' },
      ],
    },
  ],
});
