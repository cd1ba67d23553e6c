/**
 * A node bootstrap script that pulls the workspace's images into containerd before the kubelet
 * starts, so that the first pods on a new node skip the Image pull stage: POSIX sh with `set -eu`,
 * the pulls run in parallel (xargs -P) with a bound, each retried with a growing pause and limited by
 * a per-pull timeout and an overall deadline, one log line per image, and a summary with the exit
 * status saying whether every image arrived.
 *
 * Two tools: `crictl pull`, which goes through containerd's CRI plugin exactly as the kubelet's pulls
 * do (same registry mirrors and hosts configuration, same image names), and `ctr -n k8s.io images
 * pull`, which ships with containerd itself; ctr does not normalise names, so references are written
 * out in full (`docker.io/library/nginx`), and it reads the registry hosts configuration only when
 * given --hosts-dir (containerd docs/hosts.md), which the script passes when /etc/containerd/certs.d exists.
 *
 * Two targets:
 * - `plain`: a script to run before the kubelet starts (a cloud-init user-data script or runcmd, a
 *   systemd unit ordered After=containerd.service Before=kubelet.service); it waits for containerd.
 * - `eks`: EC2 user data for EKS managed node groups and Karpenter on Amazon Linux 2023, as a MIME
 *   multi-part document with one text/x-shellscript part: EKS merges launch-template user data with
 *   its own and needs that format (docs.aws.amazon.com/eks/latest/userguide/launch-templates.html,
 *   "Amazon EC2 user data"), and Karpenter's EC2NodeClass spec.userData takes the same for AL2023
 *   (karpenter.sh/docs/concepts/nodeclasses). On AL2023, nodeadm writes containerd's configuration
 *   before cloud-init (nodeadm-config.service, Before=cloud-init.service) and starts containerd and the
 *   kubelet after the user-data scripts (nodeadm-run.service, After=cloud-final.service), both in
 *   awslabs/amazon-eks-ami; so the script starts containerd itself, pulls, and the kubelet starts
 *   with the images in place.
 *
 * Credentials are never embedded: neither tool uses the pods' imagePullSecrets or the kubelet's
 * credential providers (ECR's included). The script passes `PODSTART_REGISTRY_CREDS` (USER:PASSWORD,
 * from the environment) to the pulls of images whose workloads have imagePullSecrets, as crictl's
 * --creds or ctr's --user; crictl also uses containerd's own registry auth configuration.
 */
import { locateImage } from '../registry/image-location';
import { commentText, describeSources, imagesForNodeLabels, pinningComment, unpinnedNote } from './image-comments';
import { OptionReader } from './option-reader';
import type { GeneratedFile, Generator, GeneratorContext, InventoryImage } from './types';

type Tool = 'crictl' | 'ctr';
type Target = 'plain' | 'eks';

/** One image to pull: the reference as the tool takes it, whether it needs credentials, and the images of the manifests it stands for. */
interface PullEntry {
  reference: string;
  private: boolean;
  images: InventoryImage[];
}

const DEFAULTS = { concurrency: 4, attempts: 3, pullTimeoutSeconds: 600, deadlineSeconds: 900 } as const;
/** The MIME boundary: text that cannot occur in the script (no image reference or comment holds `==`). */
const BOUNDARY = '==PODSTART-PREPULL==';
/** Characters of a Distribution reference: anything else is left out rather than put in a shell line. */
const SAFE_REFERENCE = /^[A-Za-z0-9._\-/:@+]+$/;

const nodeBootstrapScript: Generator = {
  id: 'bootstrap-script',
  title: 'Generate Node Bootstrap Pre-pull Script',
  description:
    "A node bootstrap script that pulls the workspace's images into containerd before the kubelet starts (crictl or ctr; in parallel with a bound, retried, with a timeout), pinned to digests where known; plain, or as EKS managed node group and Karpenter user data.",
  options: [
    {
      name: 'tool',
      description: "The pull command: crictl pulls through containerd's CRI plugin as the kubelet does; ctr ships with containerd.",
      type: 'choice',
      choices: [
        { value: 'crictl', label: 'crictl pull', description: 'through the CRI, as the kubelet pulls (needs cri-tools on the node)' },
        { value: 'ctr', label: 'ctr -n k8s.io images pull', description: 'containerd\'s own client, always installed with it' },
      ],
      default: 'crictl',
      ask: true,
    },
    {
      name: 'target',
      description: 'Where the script runs: before the kubelet on any node, or as EKS managed node group / Karpenter user data (Amazon Linux 2023).',
      type: 'choice',
      choices: [
        { value: 'plain', label: 'Shell script', description: 'run before the kubelet starts (cloud-init, a systemd unit)' },
        { value: 'eks', label: 'EKS / Karpenter user data', description: 'MIME multi-part user data for Amazon Linux 2023 nodes' },
      ],
      default: 'plain',
      ask: true,
    },
    {
      name: 'nodeLabels',
      description: "The labels of the nodes that run the script (key=value): only the images of workloads whose nodeSelector they match are pulled. Empty: every image.",
      type: 'string-list',
      default: [],
    },
    { name: 'concurrency', description: 'Pulls at once.', type: 'number', default: DEFAULTS.concurrency },
    { name: 'attempts', description: 'Tries per image before it counts as failed.', type: 'number', default: DEFAULTS.attempts },
    { name: 'pullTimeoutSeconds', description: 'Longest time one pull may take.', type: 'number', default: DEFAULTS.pullTimeoutSeconds },
    { name: 'deadlineSeconds', description: 'Longest time the whole script may delay the kubelet: no pull starts or runs past it.', type: 'number', default: DEFAULTS.deadlineSeconds },
  ],
  usesImages: true,
  generate(context: GeneratorContext): GeneratedFile {
    const read = new OptionReader(nodeBootstrapScript.options, context.options);
    const tool = read.choice<Tool>('tool');
    const target = read.choice<Target>('target');
    const notes: string[] = [];
    const labels = read.nodeLabels('nodeLabels');
    const labelEntries = read.list('nodeLabels');
    const chosen = labelEntries.length > 0 ? imagesForNodeLabels(context.inventory, labels) : context.inventory.images;
    if (labelEntries.length > 0) notes.push(`Nodes labelled ${labelEntries.join(', ')} run ${chosen.length} of the ${context.inventory.images.length} images: the others' workloads select other nodes.`);

    const entries = pullEntries(chosen, tool, notes);
    const settings = {
      concurrency: atLeastOne(read.number('concurrency')),
      attempts: atLeastOne(read.number('attempts')),
      pullTimeoutSeconds: atLeastOne(read.number('pullTimeoutSeconds')),
      deadlineSeconds: atLeastOne(read.number('deadlineSeconds')),
    };
    const script = shellScript(entries, tool, target, settings, context);
    notes.push(...unpinnedNote(chosen));
    const privateHosts = registriesOf(entries.filter((entry) => entry.private));
    if (privateHosts.length > 0) {
      notes.push(`Images from ${privateHosts.join(', ')} are pulled by workloads with imagePullSecrets: set PODSTART_REGISTRY_CREDS (USER:PASSWORD) in the script's environment, or configure containerd's registry authentication${tool === 'crictl' ? '' : ' (with ctr, only PODSTART_REGISTRY_CREDS applies)'}. Nothing secret is written in the script.`);
    }
    if (context.inventory.placeholders.length > 0) notes.push(`Left out ${context.inventory.placeholders.length} image${context.inventory.placeholders.length === 1 ? '' : 's'} written as a variable: ${context.inventory.placeholders.map((source) => `${source.image} (${source.file}:${source.line})`).join(', ')}.`);
    if (target === 'eks') {
      notes.push(`For Amazon Linux 2023 nodes: put the file in the launch template of an EKS managed node group (EKS adds its own NodeConfig part) or in a Karpenter EC2NodeClass spec.userData. The kubelet starts after the script, so the deadline bounds how long a new node waits.${tool === 'crictl' ? ' crictl must be on the node image (cri-tools); ctr (--tool ctr) always ships with containerd.' : ''}`);
      return { text: mimeUserData(script), fileName: 'podstart-prepull-user-data.txt', language: 'plaintext', notes };
    }
    return { text: script, fileName: 'podstart-prepull.sh', language: 'shellscript', notes };
  },
};
export default nodeBootstrapScript;

/** A whole number of at least 1, as the script's counts and timeouts take it. */
function atLeastOne(value: number): number {
  return Math.max(1, Math.floor(value));
}

/**
 * The references to pull, one per content: the pinned reference (ctr's written out in full), two
 * manifest references pinned to one digest pulled once. Largest first when the sizes are known, so
 * that the longest pull does not start last and hold up the end.
 */
function pullEntries(images: readonly InventoryImage[], tool: Tool, notes: string[]): PullEntry[] {
  const entries = new Map<string, PullEntry>();
  for (const image of images) {
    let reference: string;
    try {
      reference = tool === 'ctr' ? ctrReference(image.pinned) : image.pinned;
    } catch {
      notes.push(`Left out ${image.image}: not a reference ${tool} can pull.`);
      continue;
    }
    if (!SAFE_REFERENCE.test(reference)) {
      notes.push(`Left out ${image.image}: it holds characters no image reference has.`);
      continue;
    }
    const entry = entries.get(reference) ?? { reference, private: false, images: [] };
    entry.images.push(image);
    entry.private ||= image.pullSecrets.length > 0;
    entries.set(reference, entry);
  }
  const size = (entry: PullEntry) => Math.max(0, ...entry.images.map((image) => image.sizeBytes ?? 0));
  return [...entries.values()].sort((a, b) => size(b) - size(a));
}

/**
 * The name as containerd's CRI plugin stores it, so that the kubelet finds the image ctr pulled:
 * written out in full (ctr does not add `docker.io/library/`), and by digest alone when there is
 * one (the CRI drops a tag beside a digest).
 */
function ctrReference(reference: string): string {
  const location = locateImage(reference);
  if (!location.digest) return location.canonical;
  return location.canonical.replace(/:[^/:@]+@/, '@');
}

/** The registry hosts of these entries, for the credentials note. */
function registriesOf(entries: readonly PullEntry[]): string[] {
  return [...new Set(entries.map((entry) => locateImage(entry.images[0].pinned).canonical.split('/')[0]))].sort();
}

/** Text as `#` comment lines. */
function shellComment(text: string): string {
  return commentText(text, 96)
    .split('\n')
    .map((line) => `#${line}`)
    .join('\n');
}

function shellScript(entries: readonly PullEntry[], tool: Tool, target: Target, settings: Record<keyof typeof DEFAULTS, number>, context: GeneratorContext): string {
  const pullCommand = tool === 'crictl' ? 'crictl pull' : 'ctr -n k8s.io images pull';
  const where =
    target === 'eks'
      ? 'It runs as EC2 user data on Amazon Linux 2023 EKS nodes (managed node groups, Karpenter): cloud-init runs it after nodeadm has written containerd\'s configuration and before nodeadm starts containerd and the kubelet, so it starts containerd itself; the kubelet starts when it ends.'
      : 'Run it as root before the kubelet starts: as a cloud-init user-data script or runcmd entry, or from a systemd unit with After=containerd.service and Before=kubelet.service. It waits for containerd to answer.';
  const credentials =
    tool === 'crictl'
      ? "Private registries: crictl uses neither the pods' imagePullSecrets nor the kubelet's credential providers (ECR's included). It pulls through containerd's CRI plugin, so containerd's registry configuration applies; otherwise set PODSTART_REGISTRY_CREDS=USER:PASSWORD in the environment and the script passes it as --creds to the images marked private below (for ECR: AWS:$(aws ecr get-login-password)); it shows in the process list while the pull runs. Never write the password in this file."
      : "Private registries: ctr uses neither the pods' imagePullSecrets, the kubelet's credential providers (ECR's included) nor containerd's CRI registry auth. Set PODSTART_REGISTRY_CREDS=USER:PASSWORD in the environment and the script passes it as --user to the images marked private below (for ECR: AWS:$(aws ecr get-login-password)); it shows in the process list while the pull runs. Never write the password in this file.";
  const header = [
    `Generated by Podstart (podstart generate bootstrap-script) for Kubernetes ${context.kubernetesVersion}: pulls ${entries.length} image${entries.length === 1 ? '' : 's'} of the workspace's workloads into containerd's k8s.io namespace, the one the kubelet uses, with ${pullCommand}, so that the first pods on this node skip the Image pull stage.`,
    where,
    `Up to ${settings.concurrency} pulls run at once; each is tried ${settings.attempts} times, pausing longer after each failure, and stopped after ${settings.pullTimeoutSeconds} s; no pull runs past ${settings.deadlineSeconds} s from the start, which bounds how long the node waits for its kubelet. One log line per image; the exit status is 1 when an image could not be pulled (the kubelet then pulls it when a pod needs it). The PODSTART_PULL_* variables below override these values.`,
    credentials,
  ];
  const lines: string[] = [
    '#!/bin/sh',
    ...header.flatMap((paragraph, index) => [...(index > 0 ? ['#'] : []), shellComment(paragraph)]),
    'set -eu',
    '',
    'CONTAINERD_SOCKET="${CONTAINERD_SOCKET:-/run/containerd/containerd.sock}"',
    `PODSTART_PULL_CONCURRENCY="\${PODSTART_PULL_CONCURRENCY:-${settings.concurrency}}"`,
    `PODSTART_PULL_ATTEMPTS="\${PODSTART_PULL_ATTEMPTS:-${settings.attempts}}"`,
    '# Seconds to pause after the first failure of an image; the pause grows with each attempt.',
    'PODSTART_PULL_RETRY_DELAY="${PODSTART_PULL_RETRY_DELAY:-5}"',
    `PODSTART_PULL_TIMEOUT="\${PODSTART_PULL_TIMEOUT:-${settings.pullTimeoutSeconds}}"`,
    `PODSTART_PULL_DEADLINE_SECONDS="\${PODSTART_PULL_DEADLINE_SECONDS:-${settings.deadlineSeconds}}"`,
    '# Seconds to wait for containerd to answer before giving up.',
    'PODSTART_CONTAINERD_WAIT="${PODSTART_CONTAINERD_WAIT:-120}"',
    ...(tool === 'ctr' ? ['# Registry mirrors and certificates, as containerd\'s CRI plugin reads them (its config_path).', 'PODSTART_HOSTS_DIR="${PODSTART_HOSTS_DIR:-/etc/containerd/certs.d}"'] : []),
    'PODSTART_REGISTRY_CREDS="${PODSTART_REGISTRY_CREDS:-}"',
    'PODSTART_PULL_DEADLINE=$(( $(date +%s) + PODSTART_PULL_DEADLINE_SECONDS ))',
    'PODSTART_FAILED_LIST=$(mktemp)',
    "trap 'rm -f \"$PODSTART_FAILED_LIST\"' EXIT",
    `export CONTAINERD_SOCKET PODSTART_PULL_ATTEMPTS PODSTART_PULL_RETRY_DELAY PODSTART_PULL_TIMEOUT PODSTART_PULL_DEADLINE PODSTART_FAILED_LIST PODSTART_REGISTRY_CREDS${tool === 'ctr' ? ' PODSTART_HOSTS_DIR' : ''}`,
    '',
    'log() { printf \'%s podstart-prepull: %s\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }',
    '',
    shellComment('The images, largest first when their sizes are known. Each line is the reference pulled and whether its workloads use imagePullSecrets (private), after where the manifests use it and how the reference was pinned.'),
    'images() {',
    ...entries.flatMap((entry) => [
      ...entry.images.map((image) => indent(shellComment(`${image.image}: ${describeSources(image)}. ${capitalise(pinningComment(image))}.`))),
      `  printf '%s %s\\n' '${entry.reference}' ${entry.private ? 'private' : 'public'}`,
    ]),
    ...(entries.length === 0 ? ['  :'] : []),
    '}',
    '',
    shellComment('Pulls one image, retrying; run by xargs in parallel with the reference and private/public as $1 and $2. It always exits 0: a failure is logged and listed in $PODSTART_FAILED_LIST.'),
    "PULL_ONE=$(cat <<'PODSTART_PULL_ONE'",
    ...workerScript(tool),
    'PODSTART_PULL_ONE',
    ')',
    '',
    ...startContainerd(target),
    ...waitForContainerd(tool),
    '',
    'total=$(images | wc -l | tr -d \' \')',
    'if [ "$total" -eq 0 ]; then',
    '  log "no image to pull"',
    '  exit 0',
    'fi',
    'log "pulling $total images, $PODSTART_PULL_CONCURRENCY at a time"',
    'started=$(date +%s)',
    'status=0',
    'if ! images | xargs -n 2 -P "$PODSTART_PULL_CONCURRENCY" sh -c "$PULL_ONE" podstart-pull; then',
    '  log "some pulls did not run to their end (xargs failed)"',
    '  status=1',
    'fi',
    'failed=$(wc -l < "$PODSTART_FAILED_LIST" | tr -d \' \')',
    'if [ "$failed" -gt 0 ]; then',
    '  log "$failed of $total images could not be pulled in $(( $(date +%s) - started ))s:"',
    '  while IFS= read -r reference; do log "  not pulled: $reference"; done < "$PODSTART_FAILED_LIST"',
    '  exit 1',
    'fi',
    'log "pulled all $total images in $(( $(date +%s) - started ))s"',
    'exit "$status"',
  ];
  return `${lines.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The worker that xargs runs once per image (a separate `sh -c`, which sees only the exported variables). */
function workerScript(tool: Tool): string[] {
  const pull =
    tool === 'crictl'
      ? [
          'pull() {',
          '  if [ "$private" = private ] && [ -n "$PODSTART_REGISTRY_CREDS" ]; then',
          '    run crictl --runtime-endpoint "unix://$CONTAINERD_SOCKET" --image-endpoint "unix://$CONTAINERD_SOCKET" pull --creds "$PODSTART_REGISTRY_CREDS" "$reference"',
          '  else',
          '    run crictl --runtime-endpoint "unix://$CONTAINERD_SOCKET" --image-endpoint "unix://$CONTAINERD_SOCKET" pull "$reference"',
          '  fi',
          '}',
        ]
      : [
          'pull() {',
          '  set -- --address "$CONTAINERD_SOCKET" --namespace k8s.io images pull',
          '  if [ -d "$PODSTART_HOSTS_DIR" ]; then set -- "$@" --hosts-dir "$PODSTART_HOSTS_DIR"; fi',
          '  if [ "$private" = private ] && [ -n "$PODSTART_REGISTRY_CREDS" ]; then set -- "$@" --user "$PODSTART_REGISTRY_CREDS"; fi',
          '  run ctr "$@" "$reference"',
          '}',
        ];
  return [
    'set -u',
    'reference=$1',
    'private=$2',
    'log() { printf \'%s podstart-prepull: %s\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }',
    '# The pull under a time limit: the smaller of the per-pull timeout and what is left of the deadline.',
    'run() {',
    '  left=$(( PODSTART_PULL_DEADLINE - $(date +%s) ))',
    '  limit=$PODSTART_PULL_TIMEOUT',
    '  if [ "$left" -lt "$limit" ]; then limit=$left; fi',
    '  if [ "$limit" -lt 1 ]; then limit=1; fi',
    '  if command -v timeout >/dev/null 2>&1; then timeout "$limit" "$@"; else "$@"; fi',
    '}',
    ...pull,
    'attempt=1',
    'while :; do',
    '  begun=$(date +%s)',
    '  if [ "$begun" -ge "$PODSTART_PULL_DEADLINE" ]; then',
    '    log "FAILED $reference: the deadline passed before attempt $attempt"',
    '    printf \'%s\\n\' "$reference" >> "$PODSTART_FAILED_LIST"',
    '    exit 0',
    '  fi',
    '  if output=$(pull 2>&1); then',
    '    log "pulled $reference in $(( $(date +%s) - begun ))s (attempt $attempt of $PODSTART_PULL_ATTEMPTS)"',
    '    exit 0',
    '  else',
    '    code=$?',
    '  fi',
    '  why=$(printf \'%s\\n\' "$output" | tail -n 1)',
    '  if [ "$code" -eq 124 ]; then why="timed out"; fi',
    '  if [ "$attempt" -ge "$PODSTART_PULL_ATTEMPTS" ]; then',
    '    log "FAILED $reference after $attempt attempts: $why"',
    '    printf \'%s\\n\' "$reference" >> "$PODSTART_FAILED_LIST"',
    '    exit 0',
    '  fi',
    '  pause=$(( PODSTART_PULL_RETRY_DELAY * attempt ))',
    '  log "retrying $reference in ${pause}s: attempt $attempt of $PODSTART_PULL_ATTEMPTS failed (exit $code): $why"',
    '  sleep "$pause"',
    '  attempt=$(( attempt + 1 ))',
    'done',
  ];
}

/** EKS on AL2023: containerd is configured but not started while user data runs. */
function startContainerd(target: Target): string[] {
  if (target !== 'eks') return [];
  return [
    shellComment('nodeadm has written containerd\'s configuration (nodeadm-config.service runs before cloud-init) but starts containerd only after the user-data scripts (nodeadm-run.service): start it now; nodeadm finds it running.'),
    'if command -v systemctl >/dev/null 2>&1; then systemctl start containerd; fi',
  ];
}

function waitForContainerd(tool: Tool): string[] {
  const probe = tool === 'crictl' ? 'crictl --runtime-endpoint "unix://$CONTAINERD_SOCKET" version >/dev/null 2>&1' : 'ctr --address "$CONTAINERD_SOCKET" version >/dev/null 2>&1';
  return [
    'waited=0',
    `until ${probe}; do`,
    '  if [ "$waited" -ge "$PODSTART_CONTAINERD_WAIT" ]; then',
    '    log "containerd does not answer on $CONTAINERD_SOCKET after ${waited}s: no image pulled"',
    '    exit 1',
    '  fi',
    '  sleep 1',
    '  waited=$(( waited + 1 ))',
    'done',
  ];
}

/** The script as EC2 user data: a MIME multi-part document with one shell-script part, which EKS and Karpenter merge with their own parts. */
function mimeUserData(script: string): string {
  // us-ascii, as the part declares: anything else in a comment (a file name) becomes `?`.
  const ascii = script.replace(/[^\x09\x0a\x20-\x7e]/g, '?');
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    '',
    `--${BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    ascii.trimEnd(),
    '',
    `--${BOUNDARY}--`,
    '',
  ].join('\n');
}
