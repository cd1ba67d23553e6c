import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { validateKubeletConfiguration, type KubeletSchemaProblem } from '../../core/kubelet/schema-validation';
import { KUBELET_SCHEMA_PATH, renderKubeletSchema } from '../../scripts/generate-kubelet-schema';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/kubelet');

const IGNORED =
  'The kubelet ignores fields it does not know: it logs "Using lenient decoding as strict decoding failed" and starts without this setting.';
const FAILS_TO_LOAD = 'The kubelet cannot load a config file with a value of the wrong type and does not start.';
const DURATION = 'a Go duration such as "10s", "1m30s", "2h45m" or "0s": numbers each followed by a unit ns, us, ms, s, m or h';

/** Validates a KubeletConfiguration written in YAML, as the caller parses it. */
function check(body: string): KubeletSchemaProblem[] {
  return validateKubeletConfiguration(parse(`apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${body}`));
}

/** An unknown field; `replacement` is the field the "did you mean" names, which a fix renames it to. */
const warning = (path: (string | number)[], message: string, replacement?: string): KubeletSchemaProblem => ({ path, atKey: true, message, severity: 'warning', ...(replacement === undefined ? {} : { replacement }) });
/** A refused value; `extra` carries the enum value meant (`replacement`) or the rule that reports it instead (`coveredBy`). */
const error = (path: (string | number)[], message: string, extra: Pick<KubeletSchemaProblem, 'replacement' | 'coveredBy'> = {}): KubeletSchemaProblem => ({ path, atKey: false, message, severity: 'error', ...extra });

describe('core/kubelet/schema-validation', () => {
  it('accepts a complete, valid config', () => {
    const problems = check(`
address: 0.0.0.0
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
    cacheTTL: 2m0s
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 5m0s
    cacheUnauthorizedTTL: 30s
cgroupDriver: systemd
clusterDNS: [10.96.0.10]
clusterDomain: cluster.local
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
cpuManagerPolicy: static
cpuManagerPolicyOptions:
  full-pcpus-only: "true"
reservedSystemCPUs: "0,1"
memoryManagerPolicy: Static
reservedMemory:
  - numaNode: 0
    limits:
      memory: 1124Mi
topologyManagerPolicy: single-numa-node
topologyManagerScope: pod
evictionHard:
  memory.available: 100Mi
  nodefs.available: "10%"
  imagefs.available: 15.5%
evictionSoft:
  memory.available: 300Mi
evictionSoftGracePeriod:
  memory.available: 1m30s
evictionMaxPodGracePeriod: 60
kubeReserved: {cpu: 100m, memory: 512Mi, ephemeral-storage: 1Gi}
systemReserved: {cpu: "1", memory: 1.5Gi}
featureGates:
  KubeletCrashLoopBackOffMax: true
crashLoopBackOff:
  maxContainerRestartPeriod: 30s
serializeImagePulls: false
maxParallelImagePulls: 5
registryPullQPS: 0
imageGCHighThresholdPercent: 90
imageGCLowThresholdPercent: 70
imageMaximumGCAge: 168h
containerLogMaxSize: 50Mi
containerLogMaxFiles: 3
logging:
  format: json
  flushFrequency: 5s
  verbosity: 2
  options:
    json:
      infoBufferSize: "0"
shutdownGracePeriodByPodPriority:
  - priority: 2000000000
    shutdownGracePeriodSeconds: 10
registerWithTaints:
  - key: dedicated
    value: gpu
    effect: NoSchedule
memorySwap:
  swapBehavior: LimitedSwap
enforceNodeAllocatable: [pods, kube-reserved]
kubeReservedCgroup: /kube.slice
tracing:
  endpoint: localhost:4317
  samplingRatePerMillion: 100
userNamespaces:
  idsPerPod: 131072
resolvConf: /run/systemd/resolve/resolv.conf
port: 0
`);
    assert.deepEqual(problems, []);
  });

  it('finds no problem in the real kubelet configs of the corpus but the ones reviewed', function () {
    if (!existsSync(CORPUS)) this.skip();
    // Reviewed by hand: each is a real mistake in the file upstream.
    const expected: Record<string, KubeletSchemaProblem[]> = {
      // The Go field name: the kubelet never sees resolvConf and keeps /etc/resolv.conf.
      'nickgerace__vista__kubelet-config.yaml': [
        warning(
          ['resolverConfig'],
          `Unknown field "resolverConfig" in KubeletConfiguration: did you mean "resolvConf"? ResolverConfig is the kubelet's Go name for the field "resolvConf". ${IGNORED}`,
          'resolvConf',
        ),
      ],
    };
    // kubeadm's test data for a duplicate field: YAML parsers reject it before any schema applies.
    const unparsable = ['kubernetes__kubernetes__cmd__kubeadm__app__util__config__strict__testdata__invalid_duplicate_field_kubeletcfg.yaml'];

    const found: Record<string, KubeletSchemaProblem[]> = {};
    const failedToParse: string[] = [];
    let checked = 0;
    for (const name of readdirSync(CORPUS).sort()) {
      if (!/\.(ya?ml|json)$/.test(name)) continue; // templated/ is a folder of Jinja and Go templates.
      for (const doc of parseAllDocuments(readFileSync(path.join(CORPUS, name), 'utf8'))) {
        if (doc.errors.length > 0) {
          failedToParse.push(name);
          continue;
        }
        const value = doc.toJS() as { kind?: unknown } | null;
        if (value?.kind !== 'KubeletConfiguration') continue;
        checked++;
        const problems = validateKubeletConfiguration(value);
        if (problems.length > 0) found[name] = problems;
      }
    }
    assert.deepEqual(found, expected);
    assert.deepEqual(failedToParse, unparsable);
    // 20 files are a KubeletConfiguration (and so is the unparsable one); kubeadm's defaulted.yaml has one among other kinds.
    assert.equal(checked, 21);
  });

  describe('unknown fields', () => {
    it('suggests the field a misspelt key meant, at the key', () => {
      assert.deepEqual(check('serializeImagePull: false\n'), [
        warning(['serializeImagePull'], `Unknown field "serializeImagePull" in KubeletConfiguration: did you mean "serializeImagePulls"? ${IGNORED}`, 'serializeImagePulls'),
      ]);
    });

    it('suggests the field a key meant in another case', () => {
      assert.deepEqual(check('SerializeImagePulls: false\nMaxPods: 50\n'), [
        warning(['SerializeImagePulls'], `Unknown field "SerializeImagePulls" in KubeletConfiguration: did you mean "serializeImagePulls"? ${IGNORED}`, 'serializeImagePulls'),
        warning(['MaxPods'], `Unknown field "MaxPods" in KubeletConfiguration: did you mean "maxPods"? ${IGNORED}`, 'maxPods'),
      ]);
    });

    it('finds unknown fields in nested objects and list items', () => {
      assert.deepEqual(check('authentication:\n  webhook:\n    enabledd: true\nreservedMemory:\n  - numaNode: 0\n    limit: {memory: 1Gi}\n'), [
        warning(['authentication', 'webhook', 'enabledd'], `Unknown field "enabledd" in authentication.webhook: did you mean "enabled"? ${IGNORED}`, 'enabled'),
        warning(['reservedMemory', 0, 'limit'], `Unknown field "limit" in reservedMemory[0]: did you mean "limits"? ${IGNORED}`, 'limits'),
      ]);
    });

    it('suggests nothing when no known field is close', () => {
      assert.deepEqual(check('metadata:\n  name: workers\n'), [warning(['metadata'], `Unknown field "metadata" in KubeletConfiguration. ${IGNORED}`)]);
    });

    it('accepts any key in the maps (feature gates, reservations, eviction signals)', () => {
      assert.deepEqual(check('featureGates: {AnyGate: true}\nkubeReserved: {nvidia.com/gpu: "1"}\nevictionHard: {pid.available: "10%"}\n'), []);
    });
  });

  describe('values', () => {
    it('reports a value of the wrong type, with the edit that fixes it', () => {
      assert.deepEqual(check('maxParallelImagePulls: "5"\nserializeImagePulls: false\nkubeReserved:\n  cpu: 1\nfeatureGates:\n  NodeSwap: "true"\n'), [
        error(['maxParallelImagePulls'], `"maxParallelImagePulls" must be an integer (got a string "5"): write 5 without quotes. ${FAILS_TO_LOAD}`),
        error(
          ['kubeReserved', 'cpu'],
          `"kubeReserved.cpu" must be a quantity such as "100Mi", "1Gi", "500m" or "2" (got a number 1): quote it, "1". ${FAILS_TO_LOAD}`,
        ),
        error(['featureGates', 'NodeSwap'], `"featureGates.NodeSwap" must be true or false (got a string "true"): write true without quotes. ${FAILS_TO_LOAD}`),
      ]);
      assert.deepEqual(check('clusterDNS: 10.96.0.10\n'), [error(['clusterDNS'], `"clusterDNS" must be a list (got a string "10.96.0.10"). ${FAILS_TO_LOAD}`)]);
    });

    it('lists the allowed values of an enum and suggests the one meant', () => {
      assert.deepEqual(check('cpuManagerPolicy: None\ntopologyManagerPolicy: best-effor\ncgroupDriver: docker\n'), [
        error(['cpuManagerPolicy'], '"cpuManagerPolicy" must be one of "none", "static" (got "None"): did you mean "none"?', { replacement: 'none' }),
        error(
          ['topologyManagerPolicy'],
          '"topologyManagerPolicy" must be one of "none", "best-effort", "restricted", "single-numa-node" (got "best-effor"): did you mean "best-effort"?',
          { replacement: 'best-effort' },
        ),
        error(['cgroupDriver'], '"cgroupDriver" must be one of "cgroupfs", "systemd" (got "docker").'),
      ]);
      assert.deepEqual(check('enforceNodeAllocatable: [pods, system-reserve]\n'), [
        error(
          ['enforceNodeAllocatable', 1],
          '"enforceNodeAllocatable[1]" must be one of "none", "pods", "system-reserved", "system-reserved-compressible", "kube-reserved", "kube-reserved-compressible" (got "system-reserve"): did you mean "system-reserved"?',
          { replacement: 'system-reserved' },
        ),
      ]);
    });

    it('says what a valid duration looks like', () => {
      assert.deepEqual(check('syncFrequency: 10 seconds\nauthorization:\n  webhook:\n    cacheAuthorizedTTL: 5\n'), [
        error(['syncFrequency'], `"syncFrequency" must be ${DURATION} (got "10 seconds").`),
        error(['authorization', 'webhook', 'cacheAuthorizedTTL'], `"authorization.webhook.cacheAuthorizedTTL" must be ${DURATION} (got a number 5): quote it, "5". ${FAILS_TO_LOAD}`),
      ]);
      // Go's time.ParseDuration: a sign, fractions, several units, µs, and a bare 0.
      for (const duration of ['10s', '1m30s', '2h45m', '0s', '0', '-1s', '+5m', '1.5h', '.5s', '300ms', '2us', '2µs', '1h2m3s4ms5us6ns']) {
        assert.deepEqual(check(`runtimeRequestTimeout: "${duration}"\n`), [], duration);
      }
      for (const duration of ['', '10', '1d', 's', '.s', '1 m', '5M', '1h-2m']) {
        assert.equal(check(`runtimeRequestTimeout: "${duration}"\n`).length, 1, duration);
      }
    });

    it('says an empty duration stops the kubelet, and lets other empty values pass', () => {
      // metav1.Duration parses null as "", which time.ParseDuration rejects; encoding/json leaves the other fields unset.
      assert.deepEqual(check('syncFrequency:\n'), [error(['syncFrequency'], `"syncFrequency" must be ${DURATION} (got an empty value). ${FAILS_TO_LOAD}`)]);
      assert.deepEqual(check('cpuCFSQuotaPeriod:\nevictionHard:\nmaxPods:\nauthentication:\ncgroupDriver:\n'), []);
    });

    it('reports quantities and percentages the kubelet cannot parse', () => {
      assert.deepEqual(check('evictionHard:\n  memory.available: 100MB\ncontainerLogMaxSize: 10 MiB\nqosReserved:\n  memory: "150%"\n'), [
        error(['evictionHard', 'memory.available'], '"evictionHard[memory.available]" must be a quantity such as "100Mi" or a percentage such as "10%" (got "100MB").'),
        error(['containerLogMaxSize'], '"containerLogMaxSize" must be a quantity such as "100Mi", "1Gi", "500m" or "2" (got "10 MiB").'),
        error(['qosReserved', 'memory'], '"qosReserved.memory" must be a percentage from "0%" to "100%" (got "150%").'),
      ]);
    });

    it('reports numbers outside the range the kubelet accepts', () => {
      assert.deepEqual(check('imageGCHighThresholdPercent: 120\nmaxParallelImagePulls: 0\nmemoryThrottlingFactor: 0\noomScoreAdj: -1001\n'), [
        error(['imageGCHighThresholdPercent'], '"imageGCHighThresholdPercent" must be between 0 and 100 (got 120).'),
        error(['maxParallelImagePulls'], '"maxParallelImagePulls" must be at least 1 (got 0).', { coveredBy: 'kubelet-parallel-pulls-while-serial' }),
        error(['memoryThrottlingFactor'], '"memoryThrottlingFactor" must be greater than 0 and at most 1 (got 0).', { coveredBy: 'kubelet-memory-throttling-factor' }),
        error(['oomScoreAdj'], '"oomScoreAdj" must be between -1000 and 1000 (got -1001).'),
      ]);
      // 0 in a field that is not a pointer means "unset": the kubelet puts its default in.
      assert.deepEqual(check('port: 0\nnodeLeaseDurationSeconds: 0\n'), []);
    });

    it('reports serializeImagePulls: true beside parallel pulls, which stops the kubelet', () => {
      assert.deepEqual(check('maxParallelImagePulls: 3\nserializeImagePulls: true\n'), [
        error(
          ['serializeImagePulls'],
          '"serializeImagePulls: true" contradicts "maxParallelImagePulls: 3": the kubelet refuses to start ("maxParallelImagePulls cannot be larger than 1 unless SerializeImagePulls is set to false"). Set serializeImagePulls to false, or remove it: it then defaults to false.',
          { coveredBy: 'kubelet-parallel-pulls-while-serial' },
        ),
      ]);
      // Without serializeImagePulls the kubelet defaults it to false for parallel pulls.
      assert.deepEqual(check('maxParallelImagePulls: 3\n'), []);
      assert.deepEqual(check('maxParallelImagePulls: 1\nserializeImagePulls: true\n'), []);
    });
  });

  it('checks only KubeletConfiguration of kubelet.config.k8s.io/v1beta1', () => {
    assert.deepEqual(validateKubeletConfiguration({ apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration', serializeImagePull: true }), []);
    assert.deepEqual(validateKubeletConfiguration({ apiVersion: 'kubelet.config.k8s.io/v1', kind: 'CredentialProviderConfig', providers: [] }), []);
    assert.deepEqual(validateKubeletConfiguration('KubeletConfiguration'), []);
    assert.deepEqual(validateKubeletConfiguration(null), []);
  });

  it('every object of the schema rejects unknown fields', () => {
    const schema = JSON.parse(readFileSync(KUBELET_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    const open: string[] = [];
    let objects = 0;
    const walk = (node: unknown, at: string) => {
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.properties) {
        objects++;
        // if/then conditions name a few properties of an object described elsewhere.
        if (record.additionalProperties !== false && !/\/(if|then)$/.test(at)) open.push(at);
      }
      for (const [key, child] of Object.entries(record)) walk(child, `${at}/${key}`);
    };
    walk(schema, '#');
    assert.deepEqual(open, []);
    assert.ok(objects >= 20, `${objects} objects`);
  });

  it('the shipped schema is generated from the vendored Go types', () => {
    assert.equal(readFileSync(KUBELET_SCHEMA_PATH, 'utf8'), renderKubeletSchema(), 'run npm run docs');
  });
});
