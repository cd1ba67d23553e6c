import { runRuleTests } from './harness';

/** A PostgreSQL StatefulSet; `securityContext` lines come at the pod spec's key indentation plus two. */
const postgres = (securityContext: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: postgres
  namespace: data
spec:
  serviceName: postgres
  replicas: 1
  selector:
    matchLabels:
      app: postgres
  template:
    metadata:
      labels:
        app: postgres
    spec:
      securityContext:
${securityContext}      containers:
        - name: postgres
          image: postgres:16.6
          env:
            - name: PGDATA
              value: /var/lib/postgresql/data/pgdata
          volumeMounts:
            - name: data
              mountPath: /var/lib/postgresql/data
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 200Gi
`;

/** A Deployment of a file server that mounts a shared claim. */
const fileServer = (securityContext: string, claim = '            claimName: media-library\n') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: media
spec:
  replicas: 1
  template:
    spec:
      securityContext:
${securityContext}      containers:
        - name: nginx
          image: nginxinc/nginx-unprivileged:1.27.3
          volumeMounts:
            - name: library
              mountPath: /usr/share/nginx/html
            - name: config
              mountPath: /etc/nginx/conf.d
      volumes:
        - name: library
          persistentVolumeClaim:
${claim}        - name: config
          configMap:
            name: media-nginx
`;

runRuleTests('recursive-volume-ownership-change', {
  valid: [
    {
      name: 'OnRootMismatch already set',
      text: postgres('        runAsUser: 999\n        fsGroup: 999\n        fsGroupChangePolicy: OnRootMismatch\n'),
    },
    {
      name: 'no fsGroup: the kubelet changes no ownership',
      text: postgres('        runAsUser: 999\n        runAsNonRoot: true\n'),
    },
    {
      name: 'fsGroup with only configMap, secret and emptyDir volumes, which the policy does not affect',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: grafana
spec:
  template:
    spec:
      securityContext:
        fsGroup: 65534
        runAsUser: 65534
      containers:
        - name: grafana
          image: grafana/grafana:11.4.0
          volumeMounts:
            - name: storage
              mountPath: /var/lib/grafana
            - name: datasources
              mountPath: /etc/grafana/provisioning/datasources
            - name: tls
              mountPath: /etc/grafana/tls
      volumes:
        - name: storage
          emptyDir: {}
        - name: datasources
          configMap:
            name: grafana-datasources
        - name: tls
          secret:
            secretName: grafana-tls
`,
    },
    {
      name: 'a read-only claim, whose ownership the kubelet does not change',
      text: fileServer('        fsGroup: 101\n', '            claimName: media-library\n            readOnly: true\n'),
    },
    {
      name: 'a claim no container mounts',
      text: fileServer('        fsGroup: 101\n').replace('            - name: library\n              mountPath: /usr/share/nginx/html\n', ''),
    },
    {
      name: 'clusters older than 1.23, where the policy is not GA',
      text: postgres('        fsGroup: 999\n'),
      settings: { kubernetesVersion: '1.22' },
    },
  ],
  invalid: [
    {
      name: 'a StatefulSet volumeClaimTemplate, with the policy inserted after fsGroup',
      text: postgres('        runAsUser: 999\n        fsGroup: 999 # the postgres group in the image\n        runAsNonRoot: true\n'),
      findings: [{ line: 19, column: 9, message: 'The pod sets `fsGroup: 999` with no `fsGroupChangePolicy` (so Always) and mounts volumeClaimTemplate `data`: at every mount the kubelet walks the whole volume' }],
      output: postgres('        runAsUser: 999\n        fsGroup: 999 # the postgres group in the image\n        fsGroupChangePolicy: OnRootMismatch\n        runAsNonRoot: true\n'),
    },
    {
      name: 'an explicit Always on a PersistentVolumeClaim is replaced',
      text: fileServer('        fsGroup: 101\n        fsGroupChangePolicy: "Always"\n'),
      findings: [{ line: 10, column: 9, message: 'with `fsGroupChangePolicy: Always` and mounts PersistentVolumeClaim volume `library`' }],
      output: fileServer('        fsGroup: 101\n        fsGroupChangePolicy: OnRootMismatch\n'),
    },
    {
      name: 'a generic ephemeral volume, fsGroup as the last key of the securityContext',
      text: `apiVersion: v1
kind: Pod
metadata:
  name: spark-executor
spec:
  securityContext:
    runAsUser: 185
    fsGroup: 185
  containers:
  - name: executor
    image: apache/spark:3.5.4
    volumeMounts:
    - name: scratch
      mountPath: /var/data/spark
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: ["ReadWriteOnce"]
          storageClassName: local-nvme
          resources:
            requests:
              storage: 500Gi
`,
      findings: [{ line: 8, column: 5, message: 'mounts ephemeral volume `scratch`' }],
      output: `apiVersion: v1
kind: Pod
metadata:
  name: spark-executor
spec:
  securityContext:
    runAsUser: 185
    fsGroup: 185
    fsGroupChangePolicy: OnRootMismatch
  containers:
  - name: executor
    image: apache/spark:3.5.4
    volumeMounts:
    - name: scratch
      mountPath: /var/data/spark
  volumes:
  - name: scratch
    ephemeral:
      volumeClaimTemplate:
        spec:
          accessModes: ["ReadWriteOnce"]
          storageClassName: local-nvme
          resources:
            requests:
              storage: 500Gi
`,
    },
  ],
});
