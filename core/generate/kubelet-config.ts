/**
 * A KubeletConfiguration tuned for pod startup, for the cluster's Kubernetes release: images pulled
 * in parallel and bounded, a registry limit that lets those pulls start, an API client limit that
 * does not queue Secret and ConfigMap fetches, and image garbage collection that keeps pre-pulled
 * images. Each field is written only in the releases whose kubelet knows it, with a comment saying
 * which startup stage it speeds up and by about how much.
 *
 * The values come from what the kubelet rules check (core/kubelet/defaults.ts and the rules'
 * option defaults), so the output passes Podstart's own kubelet rules with no finding: the test
 * analyses every format at several releases and validates it against the schema.
 *
 * Three formats: a standalone file (`kubelet --config`), the same document for a kubeadm
 * configuration file (`kubeadm init --config`, or as a `kubeletconfiguration` patch), and a kind
 * `Cluster` with the fields as a `kubeadmConfigPatches` entry.
 */
import { Document, type Scalar } from 'yaml';
import { KUBE_API_DEFAULTS_BEFORE_1_27, KUBELET_DEFAULTS, KUBELET_RELEASES } from '../kubelet/defaults';
import { describeDuration, parseGoDuration } from '../kubelet/go-duration';
import { atLeast, parseKubernetesVersion, type KubernetesVersion } from '../kubernetes-version';
import imageGcRule from '../../rules/kubelet-image-gc-evicts-prepulled';
import serialPullsRule from '../../rules/kubelet-serial-image-pulls';
import { commentAboveKey, commentText } from './image-comments';
import { OptionReader } from './option-reader';
import type { GeneratedFile, Generator, GeneratorContext } from './types';

type Format = 'standalone' | 'kubeadm' | 'kind';

const KUBELET_TYPE = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' } as const;
/** What kubelet-serial-image-pulls' fix writes: the same bound here, so the generator and the fix agree. */
const DEFAULT_MAX_PARALLEL_PULLS = serialPullsRule.meta.options.maxParallelImagePulls.default as number;
/** The shortest imageMaximumGCAge kubelet-image-gc-evicts-prepulled accepts (a week). */
const SHORTEST_MAXIMUM_GC_AGE = imageGcRule.meta.options.minimumMaximumGCAge.default as string;
/**
 * Pre-pulled images are protected this long after the kubelet first sees them, even when the disk
 * is over the high threshold: a node that pre-pulled at boot gets its first pods within minutes of
 * turning Ready, and the 2m default can run out before a scale-up's pods land.
 */
const DEFAULT_MINIMUM_GC_AGE = '5m';

/** A field and why it has its value: the comment written above it. */
interface Field {
  name: string;
  value: string | number | boolean;
  why: string;
}

const startupKubeletConfig: Generator = {
  id: 'kubelet-config',
  title: 'Generate KubeletConfiguration Tuned for Startup',
  description:
    'A KubeletConfiguration for the configured Kubernetes release that pulls images in parallel with a bound, lets those pulls past the registry limit, raises the API client limit and keeps pre-pulled images from garbage collection; as a standalone file, a kubeadm document or a kind cluster patch.',
  options: [
    {
      name: 'format',
      description: 'How the configuration is written: a standalone KubeletConfiguration file, a document for a kubeadm configuration file, or a kind Cluster with a kubeadmConfigPatches entry.',
      type: 'choice',
      choices: [
        { value: 'standalone', label: 'KubeletConfiguration file', description: 'kubelet --config, or merged into /var/lib/kubelet/config.yaml' },
        { value: 'kubeadm', label: 'kubeadm configuration document', description: 'appended to the file given to kubeadm init --config, or as a kubeletconfiguration patch' },
        { value: 'kind', label: 'kind Cluster', description: 'kind create cluster --config' },
      ],
      default: 'standalone',
      ask: true,
    },
    {
      name: 'maxParallelImagePulls',
      description: 'How many images the kubelet pulls at once (Kubernetes 1.27 and later; at least 2).',
      type: 'number',
      default: DEFAULT_MAX_PARALLEL_PULLS,
    },
    {
      name: 'imageMinimumGCAge',
      description: 'How long an unused image is kept after the kubelet first sees it, whatever the disk usage (a Go duration).',
      type: 'string',
      default: DEFAULT_MINIMUM_GC_AGE,
    },
    {
      name: 'imageMaximumGCAge',
      description: `Delete images unused for this long (a Go duration; 0s: never by age, the default). Kubernetes 1.30 and later; at least ${SHORTEST_MAXIMUM_GC_AGE}.`,
      type: 'string',
      default: '0s',
    },
  ],
  usesImages: false,
  generate(context: GeneratorContext): GeneratedFile {
    const version = parseKubernetesVersion(context.kubernetesVersion);
    if (!version) throw new Error(`"${context.kubernetesVersion}" is not a Kubernetes release such as 1.33.`);
    const read = new OptionReader(startupKubeletConfig.options, context.options);
    const format = read.choice<Format>('format');
    const notes: string[] = [];
    const fields = startupFields(version, format, read, notes);
    const release = `${version.major}.${version.minor}`;
    const text = format === 'kind' ? kindCluster(fields, release, notes) : kubeletConfiguration(fields, release, format);
    const fileName = format === 'kind' ? 'podstart-kind-cluster.yaml' : format === 'kubeadm' ? 'podstart-kubeadm-kubelet-config.yaml' : 'podstart-kubelet-config.yaml';
    return { text, fileName, language: 'yaml', notes };
  },
};
export default startupKubeletConfig;

/** The fields to write for this release and format, in the order of the start they speed up. */
function startupFields(version: KubernetesVersion, format: Format, read: OptionReader, notes: string[]): Field[] {
  const bounded = atLeast(version, KUBELET_RELEASES.maxParallelImagePulls);
  const requested = read.number('maxParallelImagePulls');
  const bound = Math.max(2, Math.floor(requested));
  if (bounded && bound !== requested) notes.push(`maxParallelImagePulls ${requested} became ${bound}: parallel pulls need a bound of 2 or more.`);
  const fields: Field[] = [
    {
      name: 'serializeImagePulls',
      value: false,
      why: 'Image pull: the kubelet pulls the images of pods starting together in parallel instead of one after another (the default, true). With three pods of one 1 GB image each (about 20 s per pull), the third starts pulling at once instead of after about 40 s.',
    },
  ];
  if (bounded) {
    fields.push({
      name: 'maxParallelImagePulls',
      value: bound,
      why: `Image pull: at most ${bound} pulls at once (a field since Kubernetes ${KUBELET_RELEASES.maxParallelImagePulls}). Pulls past the bound wait for a free slot instead of failing, and the node's disk and network are shared by ${bound} pulls rather than by every starting pod.`,
    });
  } else {
    notes.push(`Kubernetes ${version.major}.${version.minor} has no maxParallelImagePulls (from ${KUBELET_RELEASES.maxParallelImagePulls}): parallel pulls are unbounded, so the registry burst is raised to maxPods instead.`);
  }
  const burst = bounded ? Math.max(KUBELET_DEFAULTS.registryBurst, bound) : KUBELET_DEFAULTS.maxPods;
  fields.push(
    {
      name: 'registryPullQPS',
      value: KUBELET_DEFAULTS.registryPullQPS,
      why: `Image pull: pull starts allowed per second once the burst is spent (the default, ${KUBELET_DEFAULTS.registryPullQPS}; 0 would remove the limit and let a whole fleet reach the registry at once).`,
    },
    {
      name: 'registryBurst',
      value: burst,
      why: bounded
        ? `Image pull: at least as many pulls may start together as maxParallelImagePulls lets run (${bound}), and never fewer than the default ${KUBELET_DEFAULTS.registryBurst}. A pull past the burst is not queued: it fails with "pull QPS exceeded" and its pod waits in image back-off, 10 s doubling up to 300 s.`
        : `Image pull: without a bound on parallel pulls, every pod starting on the node (up to the default maxPods, ${KUBELET_DEFAULTS.maxPods}) can start a pull at once; a pull past the burst fails with "pull QPS exceeded" and its pod waits in image back-off, 10 s doubling up to 300 s. Raise it with maxPods.`,
    },
    {
      name: 'kubeAPIQPS',
      value: KUBELET_DEFAULTS.kubeAPIQPS,
      why: atLeast(version, KUBELET_RELEASES.kubeAPIDefaults)
        ? `Volumes, Secrets and ConfigMaps: the API client limit behind Secret, ConfigMap and ServiceAccount token fetches and status updates; ${KUBELET_DEFAULTS.kubeAPIQPS}/${KUBELET_DEFAULTS.kubeAPIBurst} is the default since ${KUBELET_RELEASES.kubeAPIDefaults}, written so that a base configuration with the old 5/10 cannot lower it. A node starting 50 pods (about 200 requests) waits about 2 s on it, against about 38 s on 5/10.`
        : `Volumes, Secrets and ConfigMaps: raises the API client limit behind Secret, ConfigMap and ServiceAccount token fetches and status updates from this release's ${KUBE_API_DEFAULTS_BEFORE_1_27.kubeAPIQPS}/${KUBE_API_DEFAULTS_BEFORE_1_27.kubeAPIBurst} to the ${KUBELET_DEFAULTS.kubeAPIQPS}/${KUBELET_DEFAULTS.kubeAPIBurst} of ${KUBELET_RELEASES.kubeAPIDefaults}. A node starting 50 pods (about 200 requests) waits about 2 s instead of about 38 s.`,
    },
    { name: 'kubeAPIBurst', value: KUBELET_DEFAULTS.kubeAPIBurst, why: 'Volumes, Secrets and ConfigMaps: the requests a burst of starting pods may make at once before the rate above applies.' },
  );
  if (format === 'kind') {
    notes.push("The kind patch leaves image garbage collection alone: kind's own kubelet configuration sets imageGCHighThresholdPercent to 100, which turns it off and keeps every image.");
    return fields;
  }
  fields.push(...garbageCollectionFields(version, read, notes));
  return fields;
}

/** Image GC that keeps pre-pulled and baked-in images: the thresholds, the minimum age and, where the kubelet has it, the maximum age. */
function garbageCollectionFields(version: KubernetesVersion, read: OptionReader, notes: string[]): Field[] {
  const { imageGCHighThresholdPercent: high, imageGCLowThresholdPercent: low } = KUBELET_DEFAULTS;
  const fields: Field[] = [
    {
      name: 'imageGCHighThresholdPercent',
      value: high,
      why: `Image pull, on the next start: garbage collection deletes unused images, pre-pulled ones included, only once the image disk is ${high}% full. Not higher: at the default hard eviction threshold (imagefs.available 15%) a fuller disk evicts pods before collection frees space.`,
    },
    {
      name: 'imageGCLowThresholdPercent',
      value: low,
      why: `Image pull, on the next start: each collection stops at ${low}%, deleting a few of the oldest unused images instead of most of them; every deleted image costs its next pod a full pull (about 20 s per GB).`,
    },
  ];
  const minimumText = read.string('imageMinimumGCAge');
  const minimum = parseGoDuration(minimumText);
  const minimumAge = minimum !== undefined && minimum > 0 ? minimumText : DEFAULT_MINIMUM_GC_AGE;
  if (minimumAge !== minimumText) notes.push(`imageMinimumGCAge "${minimumText}" is not a positive Go duration; ${DEFAULT_MINIMUM_GC_AGE} was written.`);
  fields.push({
    name: 'imageMinimumGCAge',
    value: minimumAge,
    why: `Image pull: an image pre-pulled at boot (a bootstrap script, a pre-puller DaemonSet, kube-fledged) is kept for ${describeDuration(parseGoDuration(minimumAge)!)} after the kubelet first sees it even on a full disk, so that the pods of a scale-up landing on the new node still find it (the default is ${KUBELET_DEFAULTS.imageMinimumGCAge}).`,
  });

  const maximumText = read.string('imageMaximumGCAge');
  const maximum = parseGoDuration(maximumText);
  if (maximum === undefined || maximum < 0) {
    notes.push(`imageMaximumGCAge "${maximumText}" is not a Go duration of 0s or more; it was left out.`);
    return fields;
  }
  if (!atLeast(version, KUBELET_RELEASES.imageMaximumGCAgeOnByDefault)) {
    if (maximum > 0 || atLeast(version, KUBELET_RELEASES.imageMaximumGCAge)) {
      notes.push(`imageMaximumGCAge was left out: ${atLeast(version, KUBELET_RELEASES.imageMaximumGCAge) ? `in Kubernetes ${version.major}.${version.minor} it is alpha, behind the ImageMaximumGCAge feature gate (on by default from ${KUBELET_RELEASES.imageMaximumGCAgeOnByDefault})` : `the kubelet knows it from ${KUBELET_RELEASES.imageMaximumGCAge}`}. Unused images are then collected by disk usage only, which keeps pre-pulled images longest.`);
    }
    return fields;
  }
  const shortest = parseGoDuration(SHORTEST_MAXIMUM_GC_AGE)!;
  let maximumAge = maximumText;
  if (maximum > 0 && maximum < shortest) {
    maximumAge = SHORTEST_MAXIMUM_GC_AGE;
    notes.push(`imageMaximumGCAge ${maximumText} became ${SHORTEST_MAXIMUM_GC_AGE}: a shorter age deletes the images of jobs and services that run weekly or idle over a weekend, pre-pulled ones included.`);
  }
  const minimumNanoseconds = parseGoDuration(minimumAge)!;
  if (maximum > 0 && parseGoDuration(maximumAge)! <= minimumNanoseconds) {
    notes.push(`imageMaximumGCAge was left out: it must be longer than imageMinimumGCAge (${minimumAge}), or the kubelet does not start.`);
    return fields;
  }
  fields.push({
    name: 'imageMaximumGCAge',
    value: maximumAge,
    why:
      parseGoDuration(maximumAge) === 0
        ? 'Image pull, on the next start: 0s keeps unused images whatever their age (the default), so the images of pods that run weekly and images pre-pulled for later stay until the disk needs the space. A value such as 336h deletes images unused that long.'
        : `Image pull, on the next start: images no container has used for ${describeDuration(parseGoDuration(maximumAge)!)} are deleted however empty the disk is; shorter ages delete pre-pulled images of pods that run less often.`,
  });
  return fields;
}

/** The fields as a KubeletConfiguration document, each with its reason above it. */
function configurationDocument(fields: readonly Field[], header: string): Document {
  const doc = new Document({ ...KUBELET_TYPE, ...Object.fromEntries(fields.map((field) => [field.name, field.value])) });
  doc.commentBefore = header;
  for (const field of fields) commentAboveKey(doc.contents, field.name, commentText(field.why));
  return doc;
}

function kubeletConfiguration(fields: readonly Field[], release: string, format: Format): string {
  const how =
    format === 'kubeadm'
      ? [
          'Append this document (with its ---) to the configuration file given to `kubeadm init --config`: kubeadm stores it in the kubelet-config ConfigMap, which every node that joins later reads, and fills in the fields it owns (clusterDNS, cgroupDriver, certificates).',
          'A running cluster: add the fields to `kubectl edit configmap kubelet-config -n kube-system`, then run `kubeadm upgrade node phase kubelet-config` on each node and restart its kubelet.',
          'Some nodes only: save the fields as `kubeletconfiguration+strategic.yaml` in a directory given to kubeadm with --patches (the kubeletconfiguration patch target, kubeadm 1.25 and later).',
        ]
      : [
          'Use it as the kubelet\'s --config file, or merge the fields into the configuration it already reads (/var/lib/kubelet/config.yaml on kubeadm nodes) and restart the kubelet. Fields left out keep the kubelet\'s defaults.',
        ];
  const header = commentText([`Generated by Podstart (podstart generate kubelet-config) for Kubernetes ${release}: kubelet settings for fast pod starts. Each field says which startup stage it speeds up and by about how much.`, ...how].join('\n'));
  const doc = configurationDocument(fields, header);
  return doc.toString({ lineWidth: 0, directives: format === 'kubeadm' });
}

/** A kind Cluster whose nodes all get the fields through a kubeadmConfigPatches entry (a YAML document in a string). */
function kindCluster(fields: readonly Field[], release: string, notes: string[]): string {
  const patch = configurationDocument(fields, commentText("Merged over kind's own KubeletConfiguration on every node. kind already turns image garbage collection off (imageGCHighThresholdPercent: 100), so images stay.")).toString({ lineWidth: 0 });
  const cluster = new Document({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', kubeadmConfigPatches: [patch] });
  cluster.commentBefore = commentText(
    `Generated by Podstart (podstart generate kubelet-config --format kind) for Kubernetes ${release}: a kind cluster whose kubelets pull in parallel and do not throttle starting pods. Create it with \`kind create cluster --config podstart-kind-cluster.yaml\`, with a kindest/node image of Kubernetes ${release} (--image), or merge kubeadmConfigPatches into your own kind configuration.`,
  );
  const entry = cluster.getIn(['kubeadmConfigPatches', 0], true) as Scalar;
  entry.type = 'BLOCK_LITERAL';
  notes.push(`kind runs the Kubernetes release of its node image: use a kindest/node image of ${release} for these fields to apply as written.`);
  return cluster.toString({ lineWidth: 0 });
}
