/**
 * A DaemonSet that pulls the workspace's images onto every node ahead of the workloads, so that a
 * pod landing on a node (a scale-up, a replaced node, a rollout) finds its image there instead of
 * waiting for the download. Two ways to make the kubelet pull without running the images' programs:
 *
 * - `init-containers` (any release): one init container per image runs a no-op and exits, then a
 *   `pause` container holds the pod. The no-op must exist in every image, and distroless, Chainguard
 *   and scratch images have no shell and no /bin/true, so by default a statically linked busybox
 *   (docker-library's musl build, configured with CONFIG_STATIC=y) is copied into an emptyDir by a
 *   first init container and each image runs `/podstart-noop/busybox true` from it: a static binary
 *   needs nothing from the image it runs in. The kubelet pulls both for the node's platform, so the
 *   binary always matches the image's architecture.
 * - `image-volumes`: one `image` volume per image on a pause pod (KEP-4639). The kubelet pulls every
 *   image volume of a pod before it starts the pod's containers (kuberuntime SyncPod, getImageVolumes
 *   over spec.volumes), so nothing of the images runs at all. Alpha in 1.31 and 1.32, beta but off by
 *   default in 1.33 and 1.34, on by default from 1.35 (feature gate ImageVolume,
 *   https://kubernetes.io/docs/tasks/configure-pod-container/image-volumes/); the runtime must
 *   support it too (containerd 2.1 or later, CRI-O 1.31 or later).
 *
 * The output passes Podstart's own rules: a moving tag the generator cannot pin carries a
 * `podstart-disable-next-line mutable-image-tag` (the finding belongs at the workload that chose the
 * tag, where it is reported), and the object ignores large-image (pulling large images early is its
 * purpose).
 */
import { Document, isMap, isScalar, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { atLeast, DEFAULT_KUBERNETES_VERSION, FEATURE_RELEASES, parseKubernetesVersion, supports } from '../kubernetes-version';
import { parseImageReference } from '../image-reference';
import { formatByteSize } from '../registry/pull-estimate';
import { IGNORE_ANNOTATION } from '../suppression';
import { canonicalSelector } from './image-inventory';
import { commentText, describeSelector, describeSources, imagesForNodeLabels, shortDigest } from './image-comments';
import { OptionReader } from './option-reader';
import type { GeneratedFile, Generator, GeneratorContext, GeneratorOption, InventoryImage } from './types';

/**
 * The sandbox image kubeadm pins for Kubernetes 1.34 and 1.35 (cmd/kubeadm/app/constants,
 * PauseVersion 3.10.1). A full version tag, which Podstart's rules treat as naming one build.
 */
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';
/**
 * Statically linked: docker-library/busybox builds its musl variant with CONFIG_STATIC=y
 * (latest/musl/Dockerfile.builder). Fully qualified, because CRI-O refuses ambiguous short names when
 * its registries.conf enforces short-name resolution.
 */
export const NOOP_IMAGE = 'docker.io/library/busybox:1.37.0-musl';
const NOOP_VOLUME = 'podstart-noop';
const NOOP_DIR = '/podstart-noop';
export const INJECTED_NOOP = [`${NOOP_DIR}/busybox`, 'true'];
export const SHELL_NOOP = ['/bin/sh', '-c', 'true'];
/** The first release with the `image` volume field at all (alpha, behind the ImageVolume gate). */
const IMAGE_VOLUME_API = '1.31';
/** Kubernetes' documented upper bound on nodes per cluster ("Considerations for large clusters"): room for one pod per node. */
const MAX_NODES = '5000';
/** Unprivileged and non-root, so the pods pass the restricted Pod Security Standard: `nobody`. */
const NOBODY = 65534;

const OPTIONS: readonly GeneratorOption[] = [
  {
    name: 'variant',
    description: 'How each node pulls the images without running them',
    type: 'choice',
    choices: [
      { value: 'init-containers', label: 'Init containers', description: 'one init container per image runs a no-op, then a pause container (any Kubernetes release)' },
      {
        value: 'image-volumes',
        label: 'Image volumes',
        description: 'one image volume per image on a pause pod; nothing of the images runs (on by default from Kubernetes 1.35; containerd 2.1+ or CRI-O 1.31+)',
      },
    ],
    default: 'init-containers',
    ask: true,
  },
  {
    name: 'noop',
    description: "What each image's init container runs (init-containers variant)",
    type: 'choice',
    choices: [
      { value: 'injected', label: 'Injected static busybox', description: 'copied into a shared emptyDir first: works in every image, with or without a shell' },
      { value: 'shell', label: "The image's own shell", description: 'sh -c true, for images you know have /bin/sh (distroless and Chainguard images still get the injected binary)' },
    ],
    default: 'injected',
  },
  { name: 'namespace', description: 'Namespace of the pre-puller (created with a ResourceQuota unless it is kube-system)', type: 'string', default: 'podstart-prepull', ask: true },
  { name: 'name', description: 'Name of the DaemonSet (per node pool: the pool is appended)', type: 'string', default: 'podstart-prepull' },
  {
    name: 'nodeSelector',
    description: 'Only nodes with these labels (key=value), and only the images of workloads that can run there; default: every Linux node',
    type: 'string-list',
    default: [],
    ask: true,
  },
  { name: 'perNodePool', description: 'One DaemonSet per node pool the workloads select (nodeSelector), each pulling only that pool’s images', type: 'boolean', default: true },
  { name: 'minSizeMb', description: 'Only images at least this large, in MB compressed, when the registry reports sizes (images of unknown size are kept)', type: 'number', default: 0 },
  { name: 'includeInitOnly', description: 'Also pull images that only init containers use', type: 'boolean', default: true },
];

type Variant = 'init-containers' | 'image-volumes';

interface Target {
  name: string;
  /** The pool's nodeSelector (without the OS label every target gets). */
  selector: Record<string, string>;
  /** For the header: which nodes, and why. */
  nodes: string;
  images: InventoryImage[];
}

interface Settings {
  variant: Variant;
  noop: 'injected' | 'shell';
  namespace: string;
  kubernetesVersion: string;
  /** Image volumes on a release where they are off by default: the header says so. */
  imageVolumeGate: boolean;
}

const prePullerDaemonSet: Generator = {
  id: 'pre-puller',
  title: 'Generate Pre-puller DaemonSet',
  description:
    "A DaemonSet that pulls the workspace's images onto every node (or every node of a pool) ahead of the workloads, so pods do not wait for the download: init containers that run a no-op, or image volumes on clusters that support them.",
  options: OPTIONS,
  usesImages: true,
  generate: generatePrePuller,
};
export default prePullerDaemonSet;

function generatePrePuller(context: GeneratorContext): GeneratedFile {
  const read = new OptionReader(OPTIONS, context.options);
  const notes: string[] = [];
  const version = parseKubernetesVersion(context.kubernetesVersion) ?? parseKubernetesVersion(DEFAULT_KUBERNETES_VERSION)!;
  const settings: Settings = {
    variant: read.choice<Variant>('variant'),
    noop: read.choice<'injected' | 'shell'>('noop'),
    namespace: read.dnsLabel('namespace'),
    kubernetesVersion: context.kubernetesVersion,
    imageVolumeGate: false,
  };
  const baseName = read.dnsLabel('name', 52);
  const nodeSelector = read.nodeSelector('nodeSelector');

  if (settings.variant === 'image-volumes' && !atLeast(version, IMAGE_VOLUME_API)) {
    settings.variant = 'init-containers';
    notes.push(`Kubernetes ${context.kubernetesVersion} has no image volumes (they arrived in ${IMAGE_VOLUME_API}, alpha), so this is the init-containers variant instead.`);
  } else if (settings.variant === 'image-volumes' && !supports(version, 'imageVolume')) {
    settings.imageVolumeGate = true;
    notes.push(
      `Image volumes are off by default in Kubernetes ${context.kubernetesVersion} (beta from 1.33, on by default from ${FEATURE_RELEASES.imageVolume}): turn on the ImageVolume feature gate on the API server and every kubelet, or the API server drops the volumes' image field and rejects the DaemonSet. The nodes' runtime must support them too (containerd 2.1 or later, CRI-O 1.31 or later).`,
    );
  } else if (settings.variant === 'image-volumes') {
    notes.push('Image volumes need a runtime that supports them on every node (containerd 2.1 or later, CRI-O 1.31 or later); elsewhere the pods fail to start and nothing is pulled.');
  }

  const images = selectImages(context, read, notes);
  const targets = chooseTargets(context, images, baseName, nodeSelector, read.boolean('perNodePool'), notes);
  if (targets.length === 0) {
    notes.push('No image is left to pre-pull, so the file holds no DaemonSet.');
    return { text: `#${commentText('No image to pre-pull: see the notes of podstart generate pre-puller.')}\n`, fileName: 'podstart-pre-puller.yaml', language: 'yaml', notes };
  }

  const documents: Document[] = [];
  if (settings.namespace !== 'kube-system') documents.push(namespaceDocument(settings), resourceQuotaDocument(settings));
  const viaInjected = new Set<string>();
  for (const target of targets) documents.push(daemonSetDocument(target, settings, viaInjected));
  documents[0].commentBefore = commentText(headerText(targets, settings, viaInjected));
  notes.unshift(...choiceNotes(targets, settings, viaInjected));
  return {
    text: documents.map((document) => document.toString({ lineWidth: 0, flowCollectionPadding: false })).join('---\n'),
    fileName: 'podstart-pre-puller.yaml',
    language: 'yaml',
    notes,
  };
}

/** The images to pull: every image of the inventory, less those the size threshold and the init-only choice leave out. */
function selectImages(context: GeneratorContext, read: OptionReader, notes: string[]): InventoryImage[] {
  const { inventory } = context;
  const minSizeMb = read.number('minSizeMb', 0);
  const minBytes = minSizeMb * 1_000_000;
  const includeInitOnly = read.boolean('includeInitOnly');
  const initOnly = includeInitOnly ? [] : inventory.images.filter((image) => image.initOnly);
  const small = inventory.images.filter((image) => !initOnly.includes(image) && image.sizeBytes !== undefined && image.sizeBytes < minBytes);
  const unknownSize = minBytes > 0 ? inventory.images.filter((image) => image.sizeBytes === undefined) : [];
  if (initOnly.length > 0) notes.push(`Left out ${countOf(initOnly, 'image')} that only init containers use: ${list(initOnly)}.`);
  if (small.length > 0) notes.push(`Left out ${countOf(small, 'image')} under ${minSizeMb} MB compressed: ${list(small)}.`);
  if (unknownSize.length > 0) {
    notes.push(`Kept ${countOf(unknownSize, 'image')} whose size is not known (no registry answer; podstart generate --registry looks sizes up): ${list(unknownSize)}.`);
  }
  if (inventory.placeholders.length > 0) {
    notes.push(
      `Left out ${countOf(inventory.placeholders, 'image')} written as a variable, which cannot be pulled as written: ${inventory.placeholders.map((entry) => `${entry.image} (${entry.file}:${entry.line})`).join(', ')}.`,
    );
  }
  for (const entry of inventory.skipped) notes.push(`Left out ${entry.file}${entry.line ? `:${entry.line}` : ''}: ${entry.reason}.`);
  return inventory.images.filter((image) => !initOnly.includes(image) && !small.includes(image));
}

/**
 * Which DaemonSets pull what. With a nodeSelector: one, on those nodes, with the images of the
 * workloads a node with those labels runs (each label of the workload's selector is among them, as
 * the scheduler decides; the ImageCache reads a pool the same way). Per node pool: one on every node for the workloads without a selector,
 * and one per selector for the images the first does not already pull. Otherwise one on every node.
 */
function chooseTargets(context: GeneratorContext, images: InventoryImage[], baseName: string, nodeSelector: Record<string, string>, perNodePool: boolean, notes: string[]): Target[] {
  if (Object.keys(nodeSelector).length > 0) {
    const onNode = new Set(imagesForNodeLabels(context.inventory, { [OS_LABEL]: 'linux', ...nodeSelector }).map((image) => image.image));
    const fits = images.filter((image) => onNode.has(image.image));
    const left = images.length - fits.length;
    if (left > 0) notes.push(`Left out ${countOf(left, 'image')} whose workloads select other nodes than ${describeSelector(nodeSelector)}.`);
    return fits.length > 0 ? [{ name: baseName, selector: nodeSelector, nodes: `nodes labelled ${describeSelector(nodeSelector)}`, images: fits }] : [];
  }
  const pools = linuxPools(context, notes);
  if (!perNodePool || pools.length <= 1) {
    const windowsOnly = new Set(context.inventory.nodePools.filter((pool) => !isLinuxSelector(pool.selector)).flatMap((pool) => pool.images));
    const linuxImages = new Set(pools.flatMap((pool) => [...pool.images]));
    const kept = images.filter((image) => linuxImages.has(image.image) || !windowsOnly.has(image.image));
    return kept.length > 0 ? [{ name: baseName, selector: {}, nodes: 'every Linux node', images: kept }] : [];
  }
  const wanted = new Map(images.map((image) => [image.image, image]));
  const imagesOf = (pool: { images: Set<string> }) => [...pool.images].flatMap((name) => wanted.get(name) ?? []);
  const everywhere = new Set(pools.filter((pool) => Object.keys(pool.selector).length === 0).flatMap(imagesOf));
  const targets: Target[] = [];
  if (everywhere.size > 0) targets.push({ name: baseName, selector: {}, nodes: 'every Linux node, for the workloads that select no other nodes', images: [...everywhere] });
  const names = new Set([baseName]);
  for (const pool of pools) {
    if (Object.keys(pool.selector).length === 0) continue;
    const poolImages = imagesOf(pool).filter((image) => !everywhere.has(image));
    if (poolImages.length === 0) continue;
    targets.push({
      name: uniqueName(`${baseName}-${poolSlug(pool.selector)}`, names),
      selector: pool.selector,
      nodes: `nodes labelled ${describeSelector(pool.selector)}, for ${pool.workloads.join(', ')}`,
      images: poolImages,
    });
  }
  return targets;
}

const OS_LABEL = 'kubernetes.io/os';

function isLinuxSelector(selector: Record<string, string>): boolean {
  return selector[OS_LABEL] === undefined || selector[OS_LABEL] === 'linux';
}

/**
 * The inventory's node pools as the pre-puller sees them: every DaemonSet already selects Linux
 * nodes, so `kubernetes.io/os: linux` selects no pool of its own, and pools of other systems are
 * left out (the pause and no-op images here are Linux images).
 */
function linuxPools(context: GeneratorContext, notes: string[]): Array<{ selector: Record<string, string>; images: Set<string>; workloads: string[] }> {
  const pools = new Map<string, { selector: Record<string, string>; images: Set<string>; workloads: string[] }>();
  for (const pool of context.inventory.nodePools) {
    if (!isLinuxSelector(pool.selector)) {
      notes.push(`Left out the node pool ${describeSelector(pool.selector)} (${pool.workloads.join(', ')}): the pre-puller's pause and no-op images are Linux images.`);
      continue;
    }
    const selector = Object.fromEntries(Object.entries(pool.selector).filter(([key]) => key !== OS_LABEL));
    const key = canonicalSelector(selector);
    const merged = pools.get(key) ?? { selector, images: new Set<string>(), workloads: [] };
    pools.set(key, merged);
    pool.images.forEach((image) => merged.images.add(image));
    merged.workloads.push(...pool.workloads);
  }
  return [...pools.values()];
}

function namespaceDocument(settings: Settings): Document {
  const document = new Document({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: settings.namespace,
      labels: {
        // Image volumes are not among the volume types the restricted standard allows; baseline allows them.
        'pod-security.kubernetes.io/enforce': settings.variant === 'image-volumes' ? 'baseline' : 'restricted',
      },
    },
  });
  return document;
}

/**
 * Clusters can limit a priority class to namespaces that hold a ResourceQuota matching it ("Limit
 * Priority Class consumption by default", https://kubernetes.io/docs/concepts/policy/resource-quotas/),
 * and managed offerings do so for the system classes outside kube-system; without the quota the API
 * server refuses the pods. Where nothing limits the class the quota only counts pods.
 */
function resourceQuotaDocument(settings: Settings): Document {
  const document = new Document({
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'podstart-prepull-critical-pods', namespace: settings.namespace },
    spec: {
      hard: { pods: MAX_NODES },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['system-node-critical'] }] },
    },
  });
  document.commentBefore = commentText(
    'Lets this namespace run system-node-critical pods where the API server limits that class to namespaces with a matching quota (Limit Priority Class consumption by default: kubernetes.io/docs/concepts/policy/resource-quotas). One pod per node, up to the 5,000 nodes Kubernetes supports.',
  );
  return document;
}

const RESOURCES = { requests: { cpu: '1m', memory: '16Mi' }, limits: { memory: '16Mi' } };
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

function daemonSetDocument(target: Target, settings: Settings, viaInjected: Set<string>): Document {
  const labels = { 'app.kubernetes.io/name': 'podstart-prepull', 'app.kubernetes.io/instance': target.name };
  const pullSecrets = [...new Set(target.images.flatMap((image) => image.pullSecrets))].sort();
  const names = new Set<string>();
  const entries = target.images.map((image) => ({ image, name: uniqueName(`pull-${slug(repositoryName(image.image))}`, names), reference: referenceToPull(image) }));
  const injectedFor = entries.filter(({ image }) => settings.noop === 'injected' || hasNoShell(image.image));
  injectedFor.forEach(({ image }) => viaInjected.add(image.image));
  const injected = settings.variant === 'init-containers' && injectedFor.length > 0;

  const pause = {
    name: 'pause',
    image: PAUSE_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    resources: RESOURCES,
    securityContext: CONTAINER_SECURITY,
    ...(settings.variant === 'image-volumes' ? { volumeMounts: entries.map(({ name }) => ({ name, mountPath: `/podstart-prepull/${name}`, readOnly: true })) } : {}),
  };
  const initContainers =
    settings.variant === 'init-containers'
      ? [
          ...(injected
            ? [
                {
                  name: NOOP_VOLUME,
                  image: NOOP_IMAGE,
                  imagePullPolicy: 'IfNotPresent',
                  command: ['/bin/cp', '/bin/busybox', `${NOOP_DIR}/busybox`],
                  resources: RESOURCES,
                  securityContext: CONTAINER_SECURITY,
                  volumeMounts: [{ name: NOOP_VOLUME, mountPath: NOOP_DIR }],
                },
              ]
            : []),
          ...entries.map(({ image, name, reference }) => {
            const viaBinary = viaInjected.has(image.image);
            return {
              name,
              image: reference,
              imagePullPolicy: 'IfNotPresent',
              command: viaBinary ? INJECTED_NOOP : SHELL_NOOP,
              // The image's WORKDIR may be closed to the unprivileged user (/root): runc would fail to enter it.
              workingDir: '/',
              resources: RESOURCES,
              securityContext: CONTAINER_SECURITY,
              ...(viaBinary ? { volumeMounts: [{ name: NOOP_VOLUME, mountPath: NOOP_DIR, readOnly: true }] } : {}),
            };
          }),
        ]
      : undefined;
  const volumes =
    settings.variant === 'image-volumes'
      ? entries.map(({ name, reference }) => ({ name, image: { reference, pullPolicy: 'IfNotPresent' } }))
      : injected
        ? [{ name: NOOP_VOLUME, emptyDir: { sizeLimit: '10Mi' } }]
        : undefined;

  const document = new Document(
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: target.name,
        namespace: settings.namespace,
        labels,
        annotations: { [IGNORE_ANNOTATION]: 'large-image' },
      },
      spec: {
        selector: { matchLabels: labels },
        // A pre-puller serves nothing: new pods may replace a quarter of the old ones at once, and the images the old pods pulled stay on the nodes meanwhile.
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            nodeSelector: { 'kubernetes.io/os': 'linux', ...target.selector },
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 5,
            securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
            ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
            ...(initContainers ? { initContainers } : {}),
            containers: [pause],
            ...(volumes ? { volumes } : {}),
          },
        },
      },
    },
    // Shared objects (labels, resources) written out each time: anchors and aliases would be hard to read and to edit.
    { aliasDuplicateObjects: false },
  );
  const metadata = document.get('metadata') as YAMLMap;
  keyOf(metadata, 'annotations').commentBefore = ' The images are large on purpose: their size is reported at the workloads.';
  document.commentBefore = commentText(`Pre-pulls ${countOf(target.images, 'image')} on ${target.nodes}.`);
  const podSpec = document.getIn(['spec', 'template', 'spec']) as YAMLMap;
  keyOf(podSpec, 'priorityClassName').commentBefore = commentText(
    settings.namespace === 'kube-system'
      ? 'Scheduled before, and evicted after, ordinary pods.'
      : 'Scheduled before, and evicted after, ordinary pods; the ResourceQuota above lets this namespace use the class where the cluster limits it.',
  );
  keyOf(podSpec, 'tolerations').commentBefore = ' Every node, tainted ones too: a tainted GPU pool is where the largest images go.';
  if (settings.variant === 'init-containers') {
    flowCommands(podSpec.get('initContainers') as YAMLSeq);
    if (injected) {
      const copy = (podSpec.get('initContainers') as YAMLSeq).items[0] as YAMLMap;
      copy.commentBefore = commentText(
        'Copies a statically linked busybox into the shared emptyDir, so that the images without a shell or /bin/true (distroless, Chainguard, scratch) can run a no-op.',
      );
    }
  }
  const entryNodes = ((settings.variant === 'init-containers' ? podSpec.get('initContainers') : podSpec.get('volumes')) as YAMLSeq).items.slice(injected ? 1 : 0) as YAMLMap[];
  entries.forEach(({ image, reference }, index) => {
    const node = entryNodes[index];
    node.commentBefore = commentText(entryComment(image, reference, settings, viaInjected.has(image.image)));
    if (settings.variant === 'init-containers' && reference === image.image && image.mutable) {
      keyOf(node, 'image').commentBefore = ' podstart-disable-next-line mutable-image-tag';
    }
  });
  return document;
}

/** Where the image comes from, how it is pulled, and for a moving tag what that means. */
function entryComment(image: InventoryImage, reference: string, settings: Settings, viaBinary: boolean): string {
  const size = image.sizeBytes !== undefined ? ` (${formatByteSize(image.sizeBytes)} compressed)` : '';
  const lines = [`${image.image}${size}: ${describeSources(image)}.`];
  if (reference !== image.image)
    lines.push(`Pinned to ${shortDigest(image.digest!)}, the digest the registry resolved the moving tag to when this file was generated: every node holds the same build.`);
  else if (image.mutable) lines.push('mutable tag: pre-pulled copy may differ from what the workload pulls (pin it in the workload, or generate with --registry to pin it here).');
  if (settings.variant === 'init-containers' && settings.noop === 'shell' && viaBinary) lines.push('No shell in this image: it runs the injected busybox.');
  return lines.join('\n');
}

/** The reference to pull: a moving tag pinned to its digest when the registry told it; anything else as the workloads write it, so the kubelet finds it under the same name. */
function referenceToPull(image: InventoryImage): string {
  return image.mutable && image.digest !== undefined ? image.pinned : image.image;
}

/**
 * Images known to have no /bin/sh: distroless (its `:debug` tags have a busybox shell, but at
 * /busybox/sh), Chainguard's images other than their `-dev` variants, and pause.
 */
function hasNoShell(image: string): boolean {
  const reference = parseImageReference(image);
  if (!reference) return true;
  const path = `${reference.registry ?? 'docker.io'}/${reference.repository}`;
  if (/(^|[/-])distroless([/-]|$)/.test(path)) return true;
  if (/^cgr\.dev\/chainguard(-private)?\//.test(path)) return !/(^|-)dev$/.test(reference.tag ?? '');
  return /(^|\/)pause$/.test(reference.repository);
}

function headerText(targets: Target[], settings: Settings, viaInjected: Set<string>): string {
  const total = new Set(targets.flatMap((target) => target.images.map((image) => image.image))).size;
  const files = new Set(targets.flatMap((target) => target.images.flatMap((image) => image.sources.map((source) => source.file)))).size;
  const how =
    settings.variant === 'image-volumes'
      ? `as image volumes of a pause pod: the kubelet pulls every image volume before it starts the containers, and nothing of the images runs.${settings.imageVolumeGate ? ` Kubernetes ${settings.kubernetesVersion} needs the ImageVolume feature gate on the API server and the kubelets (on by default from ${FEATURE_RELEASES.imageVolume}).` : ''} The nodes' runtime must support image volumes (containerd 2.1 or later, CRI-O 1.31 or later).`
      : viaInjected.size === 0
        ? 'as init containers that run `sh -c true` and exit, then the pod idles in a pause container.'
        : `as init containers that run a no-op and exit, then the pod idles in a pause container. No-op: ${settings.noop === 'injected' ? 'every image runs' : `${countOf(viaInjected.size, 'image')} without a shell run`} ${NOOP_IMAGE}'s static binary, copied into an emptyDir, so images without a shell or /bin/true work too.`;
  return [
    `Pre-puller generated by Podstart (podstart generate pre-puller, Kubernetes ${settings.kubernetesVersion}) from ${countOf(total, 'image')} in ${countOf(files, 'manifest')}; generate it again when the workloads' images change.`,
    `Each node pulls them ${how}`,
    `Namespace ${settings.namespace}${settings.namespace === 'kube-system' ? '' : ': kept out of kube-system, which managed clusters reserve, and deleted in one command'}.${pullSecretSentence(targets, settings)}`,
  ].join('\n');
}

function pullSecretSentence(targets: Target[], settings: Settings): string {
  const secrets = [...new Set(targets.flatMap((target) => target.images.flatMap((image) => image.pullSecrets)))].sort();
  if (secrets.length === 0) return '';
  const namespaces = [
    ...new Set(targets.flatMap((target) => target.images.filter((image) => image.pullSecrets.length > 0).flatMap((image) => image.sources.flatMap((source) => source.namespace ?? [])))),
  ].sort();
  const from = namespaces.length > 0 ? ` (from ${namespaces.join(', ')})` : '';
  return ` Copy the pull secrets ${secrets.join(', ')} into ${settings.namespace}${from}: a pod can only use the Secrets of its own namespace.`;
}

function choiceNotes(targets: Target[], settings: Settings, viaInjected: Set<string>): string[] {
  const notes = [
    targets.length === 1
      ? `One DaemonSet, ${targets[0].name}, pre-pulls ${countOf(targets[0].images, 'image')} on ${targets[0].nodes}.`
      : `${targets.length} DaemonSets, one per node pool: ${targets.map((target) => `${target.name} (${countOf(target.images, 'image')} on ${target.nodes})`).join('; ')}.`,
  ];
  if (settings.variant === 'init-containers') {
    notes.push(
      viaInjected.size === 0
        ? "No-op: each image's own shell (sh -c true), as chosen; an image without /bin/sh fails to start there and keeps its node's pod from finishing."
        : `No-op: a statically linked busybox (${NOOP_IMAGE}) is copied into an emptyDir and ${settings.noop === 'injected' ? 'every image' : `the ${countOf(viaInjected.size, 'image')} known to have no shell`} runs it, so distroless, Chainguard and scratch images work too${settings.noop === 'shell' ? '; the others run sh -c true' : ''}.`,
      'Init containers run one after another: an image that cannot be pulled stops the images after it on that node until it can (kubectl describe on the pod says which).',
    );
  }
  notes.push(
    settings.namespace === 'kube-system'
      ? 'Namespace kube-system: the priority class system-node-critical needs no quota there.'
      : `Namespace ${settings.namespace}, created here with the Pod Security label ${settings.variant === 'image-volumes' ? 'baseline' : 'restricted'} and a ResourceQuota that lets it use the priority class system-node-critical where the cluster limits that class to namespaces with a matching quota (as managed clusters do outside kube-system).`,
  );
  const secretSentence = pullSecretSentence(targets, settings).trim();
  if (secretSentence) notes.push(secretSentence);
  const unpinned = targets.flatMap((target) => target.images).filter((image) => image.mutable && image.digest === undefined);
  if (unpinned.length > 0) {
    notes.push(
      `${countOf(new Set(unpinned.map((image) => image.image)).size, 'image')} on a moving tag with no known digest, pulled by tag: the pre-pulled copy may differ from what the workload pulls later (${[...new Set(unpinned.map((image) => image.image))].join(', ')}). Pin them in the manifests, or generate with --registry to pin them here.`,
    );
  }
  return notes;
}

/** `command: ["/bin/cp", …]` on one line, as people write them. */
function flowCommands(containers: YAMLSeq | undefined): void {
  for (const container of (containers?.items ?? []) as YAMLMap[]) {
    const command = container.get('command', true);
    if (command && !isScalar(command) && !isMap(command)) (command as YAMLSeq).flow = true;
  }
}

/** The key node of `key` in `map`, where a comment above the entry goes. */
function keyOf(map: YAMLMap, key: string): { commentBefore?: string | null } {
  const pair = map.items.find((item) => isScalar((item as Pair).key) && ((item as Pair).key as { value: unknown }).value === key) as Pair | undefined;
  if (!pair) throw new Error(`no ${key} in the generated object`);
  return pair.key as { commentBefore?: string | null };
}

/** The last path segment of the repository: `ghcr.io/acme/api:1.2` → `api`. */
function repositoryName(image: string): string {
  const repository = parseImageReference(image)?.repository ?? image;
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/** `pool=batch` → `batch`, `nvidia.com/gpu.present=true` → `gpu-present`: the value, or the key's name when the value says little. */
function poolSlug(selector: Record<string, string>): string {
  return slug(
    Object.entries(selector)
      .map(([key, value]) => (/^(true|false|yes|no|\d*)$/i.test(value) ? `${key.slice(key.lastIndexOf('/') + 1)}${/^(false|no)$/i.test(value) ? '-no' : ''}` : value))
      .join('-'),
  );
}

/** Lower-case letters, digits and single dashes: a piece of a DNS label. */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'image'
  );
}

/** `name`, or `name-2`, `name-3`… when taken; at most 63 characters, as container, volume and object names must be. */
function uniqueName(wanted: string, taken: Set<string>): string {
  const base = wanted.slice(0, 63).replace(/-+$/, '');
  let name = base;
  for (let counter = 2; taken.has(name); counter++) name = `${base.slice(0, 63 - `-${counter}`.length).replace(/-+$/, '')}-${counter}`;
  taken.add(name);
  return name;
}

function countOf(items: number | readonly unknown[], noun: string): string {
  const count = typeof items === 'number' ? items : items.length;
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function list(images: readonly InventoryImage[]): string {
  return images.map((image) => image.image).join(', ');
}
