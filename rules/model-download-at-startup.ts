import type { Document, Node, YAMLMap } from 'yaml';
import { usesAccelerators } from '../core/accelerators';
import { atLeast, type KubernetesVersion } from '../core/kubernetes-version';
import { describeContainer, defineRule } from '../core/rule';
import { commandOf, commandStatements, commandSubstitutions, containerCommand, excerpt, splitStatements, type ContainerCommand, type ShellStatement } from '../core/shell-commands';
import type { ContainerRef, Workload } from '../core/workload';
import { getMap, getPair, getSeq, getString, mapItems, resolveNode, scalarText } from '../core/yaml-nodes';

/**
 * Model weights or data sets fetched over the network each time a pod starts: by an init
 * container or an entrypoint (`huggingface-cli download`, `aws s3 sync`, `gsutil cp`,
 * `wget .../model.safetensors`, `git lfs pull`), or by an inference server given a Hugging Face
 * Hub model id (vLLM `--model org/name`, TGI `--model-id` or `MODEL_ID`, SGLang `--model-path`)
 * with no persistent volume to keep its cache in. Every new pod (a scale-up, a rescheduled pod, a
 * restart on another node) downloads the whole model again before it can serve.
 *
 * Object-store copies are reported only in pods that use accelerators, where they almost always
 * fetch weights or training data; elsewhere they are as likely to fetch a small config file.
 * A container that mounts a persistent volume (a PVC, a CSI volume such as GCS FUSE, a hostPath
 * cache, an image volume) is not reported: the copy may already be there, and a server or
 * `hf download --local-dir` / `s3 sync` then transfers nothing.
 */

interface Download {
  /** "downloads `meta-llama/Llama-3.1-8B` from the Hugging Face Hub", for the message. */
  what: string;
  /** The command or args item, or env value, that asks for it. */
  target: Node;
}

const HUB_URL = /huggingface\.co\/|\/\/hf\.co\/|modelscope\.cn\//;
const MODEL_FILE = /\.(safetensors|gguf|ckpt|pth?|onnx|h5|tflite|mlmodel)(\?|$)|\/resolve\/[^/]+\//;
const OBJECT_STORE = /^(s3|gs|gcs|az|abfss?|oss|cos|r2):\/\/|\.blob\.core\.windows\.net\//;
/** A Hugging Face Hub repository id: `org/name`, not a path or a URL. */
const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** The first argument that is not a flag (nor a flag's value, for the common `-x value` forms). */
function positional(args: readonly string[]): string[] {
  return args.filter((arg) => !arg.startsWith('-'));
}

interface Fetch {
  what: string;
  /** A word of the command that the underlined item contains. */
  needle: string;
}

/**
 * What one shell statement downloads, if it downloads a model or data set. `accelerated` is asked
 * only about an object-store copy: most statements are not one, and the answer reads every container's resources.
 */
function statementDownload(statement: ShellStatement, accelerated: () => boolean): Fetch | undefined {
  const command = commandOf(statement.words);
  if (!command) return undefined;
  const { name, args } = command;
  const rest = positional(args);
  if ((name === 'huggingface-cli' || name === 'hf') && args[0] === 'download') return { what: `downloads \`${rest[1] ?? 'a model'}\` from the Hugging Face Hub`, needle: rest[1] ?? 'download' };
  if (name === 'modelscope' && args[0] === 'download') return { what: 'downloads a model from ModelScope', needle: 'download' };
  if (name === 'ollama' && args[0] === 'pull') return { what: `pulls the model \`${rest[1] ?? ''}\` with Ollama`, needle: 'pull' };
  if (name === 'git' && args[0] === 'lfs' && ['pull', 'fetch', 'clone'].includes(args[1])) return { what: 'fetches Git LFS objects', needle: 'lfs' };
  const hubRepository = name === 'git' && args.includes('clone') ? args.find((arg) => HUB_URL.test(arg)) : undefined;
  if (hubRepository) return { what: 'clones a model repository from the Hugging Face Hub', needle: hubRepository };
  const modelUrl = name === 'wget' || name === 'curl' ? args.find((arg) => /^(https?|ftp):\/\//.test(arg) && (HUB_URL.test(arg) || MODEL_FILE.test(arg))) : undefined;
  if (modelUrl) return { what: `downloads model weights (${excerpt(modelUrl, 60)})`, needle: modelUrl };
  if (/^python[0-9.]*$/.test(name) && /snapshot_download|hf_hub_download/.test(statement.text)) {
    return { what: 'downloads a model from the Hugging Face Hub (`snapshot_download`)', needle: /snapshot_download|hf_hub_download/.exec(statement.text)![0] };
  }
  const objectSource = (candidates: string[]) => candidates.find((arg) => OBJECT_STORE.test(arg));
  let source: string | undefined;
  if (name === 'aws' && args[0] === 's3' && ['cp', 'sync'].includes(args[1])) source = objectSource(positional(args.slice(2)).slice(0, 1));
  else if (name === 's5cmd' && ['cp', 'sync'].includes(rest[0])) source = objectSource(rest.slice(1, 2));
  else if (name === 'gsutil' && ['cp', 'rsync'].includes(rest[0])) source = objectSource(rest.slice(1, 2));
  else if (name === 'gcloud' && rest[0] === 'storage' && ['cp', 'rsync'].includes(rest[1])) source = objectSource(rest.slice(2, 3));
  else if (name === 'azcopy' && ['copy', 'cp', 'sync'].includes(rest[0])) source = objectSource(rest.slice(1, 2));
  else if (name === 'rclone' && ['copy', 'sync', 'copyto'].includes(rest[0]) && /^[\w-]+:/.test(rest[1] ?? '')) source = rest[1];
  return source === undefined || !accelerated() ? undefined : { what: `copies \`${excerpt(source, 60)}\` from object storage`, needle: source };
}

function scriptDownloads(script: string, accelerated: () => boolean, statements: readonly ShellStatement[] = splitStatements(script)): Fetch[] {
  const found: Fetch[] = [];
  for (const statement of statements) {
    const hit = statementDownload(statement, accelerated);
    if (hit) found.push(hit);
    for (const inner of statement.words.flatMap(commandSubstitutions)) found.push(...scriptDownloads(inner, accelerated));
  }
  return found;
}

/** The command or args item whose text contains `needle`, else the sequence itself. */
function itemContaining(doc: Document, container: YAMLMap, needle: string): Node | undefined {
  for (const key of ['command', 'args']) {
    const seq = getSeq(doc, container, key);
    for (const item of seq?.items ?? []) {
      const text = scalarText(doc, item);
      if (text !== undefined && text.includes(needle)) return resolveNode(doc, item);
    }
  }
  return getSeq(doc, container, 'command') ?? getSeq(doc, container, 'args');
}

function envValue(doc: Document, container: YAMLMap, name: string): { text: string; node: Node } | undefined {
  for (const variable of mapItems(doc, getSeq(doc, container, 'env'))) {
    if (getString(doc, variable, 'name') !== name) continue;
    const node = resolveNode(doc, getPair(variable, 'value')?.value);
    const text = scalarText(doc, node);
    return node && text !== undefined ? { text, node } : undefined;
  }
  return undefined;
}

/** `$(MODEL_ID)` → the container's MODEL_ID value, as the kubelet expands it. */
function expand(doc: Document, container: YAMLMap, text: string): string {
  return text.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => envValue(doc, container, name)?.text ?? whole);
}

/** Volume types that outlive the pod or live on the node, where a model cache can persist. */
const EPHEMERAL_VOLUME_TYPES = new Set(['emptyDir', 'configMap', 'secret', 'downwardAPI', 'projected', 'gitRepo']);

function mountsPersistentVolume(workload: Workload, container: ContainerRef): boolean {
  const { doc, podSpec } = workload;
  const claimTemplates = new Set(
    mapItems(doc, getSeq(doc, getMap(doc, workload.root, 'spec'), 'volumeClaimTemplates')).map((template) => getString(doc, getMap(doc, template, 'metadata'), 'name')),
  );
  const volumes = new Map(mapItems(doc, getSeq(doc, podSpec, 'volumes')).map((volume) => [getString(doc, volume, 'name'), volume]));
  return mapItems(doc, getSeq(doc, container.node, 'volumeMounts')).some((mount) => {
    const name = getString(doc, mount, 'name');
    if (workload.kind === 'StatefulSet' && claimTemplates.has(name)) return true;
    const volume = volumes.get(name);
    return !!volume && volume.items.some((pair) => {
      const type = String((pair.key as { value?: unknown } | null)?.value ?? '');
      return type !== 'name' && !EPHEMERAL_VOLUME_TYPES.has(type);
    });
  });
}

/** A container's command and args, split into shell statements once for both kinds of download. */
interface CommandStatements {
  command: ContainerCommand;
  statements: readonly ShellStatement[];
}

/**
 * Words that every download this rule knows has in its script: the programs statementDownload
 * names (basenames, after any wrapper or assignment) and the servers serverDownload looks for.
 * Without shell quoting (quotes, backslashes) the split's words are pieces of the script as written,
 * so a script matching neither pattern downloads nothing here and is not split: most containers'
 * commands are a binary and its flags. A superset on purpose (`git` matches `github`): a match only
 * means the script is read properly.
 */
const MAY_DOWNLOAD = /huggingface-cli|hf|modelscope|ollama|git|wget|curl|python|aws|s5cmd|gsutil|gcloud|azcopy|rclone/;
const MENTIONS_SERVER = /vllm|sglang|text-generation-/i;
const SHELL_QUOTING = /['"\\]/;

function splitCommand(doc: Document, container: ContainerRef): CommandStatements | undefined {
  const command = containerCommand(doc, container);
  if (!command) return undefined;
  const { script } = command;
  const worthSplitting = SHELL_QUOTING.test(script) || MAY_DOWNLOAD.test(script) || MENTIONS_SERVER.test(script) || MENTIONS_SERVER.test(getString(doc, container.node, 'image') ?? '');
  return worthSplitting ? { command, statements: commandStatements(command) } : { command, statements: [] };
}

/** An inference server that fetches a Hub model id it is given when no local copy exists. */
function serverDownload(workload: Workload, container: ContainerRef, split: CommandStatements | undefined): Download | undefined {
  const { doc } = workload;
  const node = container.node;
  const image = getString(doc, node, 'image') ?? '';
  const words = split ? split.statements.flatMap((statement) => statement.words) : [];
  const text = `${image} ${words.join(' ')}`;
  const server = /vllm/i.test(text) ? 'vLLM' : /text-generation-(inference|launcher)/.test(text) ? 'Text Generation Inference' : /sglang/i.test(text) ? 'SGLang' : undefined;
  if (!server) return undefined;
  const offline = ['HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE'].some((name) => /^(1|true|yes)$/i.test(envValue(doc, node, name)?.text ?? ''));
  if (offline) return undefined;

  const flags = server === 'vLLM' ? ['--model'] : server === 'SGLang' ? ['--model-path', '--model'] : ['--model-id'];
  let written: string | undefined;
  for (let index = 0; index < words.length && written === undefined; index++) {
    const word = words[index];
    for (const flag of flags) {
      if (word === flag) written = words[index + 1];
      else if (word.startsWith(`${flag}=`)) written = word.slice(flag.length + 1);
    }
    // `vllm serve <model>`
    if (server === 'vLLM' && word === 'serve' && /(^|\/)vllm$/.test(words[index - 1] ?? '') && !(words[index + 1] ?? '-').startsWith('-')) written = words[index + 1];
  }
  let target: Node | undefined;
  if (written !== undefined) {
    target = itemContaining(doc, node, written);
  } else if (server === 'Text Generation Inference') {
    // The TGI image reads the model from MODEL_ID when no --model-id is given.
    const fromEnv = envValue(doc, node, 'MODEL_ID');
    if (fromEnv) {
      written = fromEnv.text;
      target = fromEnv.node;
    }
  }
  if (written === undefined || !target) return undefined;
  const model = expand(doc, node, written);
  if (!HUB_ID.test(model)) return undefined;
  return { what: `has ${server} download \`${model}\` from the Hugging Face Hub, with no persistent volume mounted to keep a copy,`, target };
}

function explicitDownloads(workload: Workload, container: ContainerRef, accelerated: () => boolean, split: CommandStatements | undefined): Download | undefined {
  const { doc } = workload;
  if (!split) return undefined;
  const found = scriptDownloads(split.command.script, accelerated, split.statements);
  if (found.length === 0) return undefined;
  const more = found.length > 1 ? ` (and ${found.length - 1} more download${found.length > 2 ? 's' : ''})` : '';
  const target = itemContaining(doc, container.node, found[0].needle);
  return target ? { what: `${found[0].what}${more}`, target } : undefined;
}

function cachePlaces(version: KubernetesVersion): string {
  const imageVolume = atLeast(version, '1.35')
    ? 'an image volume holding the weights (`volumes[].image`, on by default since Kubernetes 1.35)'
    : atLeast(version, '1.33')
      ? 'an image volume holding the weights (`volumes[].image`, beta in Kubernetes 1.33 and 1.34 behind the ImageVolume feature gate)'
      : undefined;
  const places = ['a pre-populated volume (a ReadOnlyMany PVC or a disk snapshot)', 'a node-local cache (a hostPath or local volume that a DaemonSet fills once per node)'];
  if (imageVolume) places.push(imageVolume);
  return `${places.slice(0, -1).join(', ')} or ${places[places.length - 1]}`;
}

export default defineRule({
  meta: {
    id: 'model-download-at-startup',
    stage: 'container-start',
    defaultSeverity: 'info',
    description: 'Init container, entrypoint or inference server that downloads model weights or a data set (Hugging Face Hub, S3, GCS, model files) every time a pod starts.',
    startupCost:
      'Every new pod downloads the whole model before it can serve: a 7B model in 16-bit weights is about 15 GB and a 70B model about 140 GB, about 2 and 19 minutes at 1 Gbit/s, repeated on every scale-up, reschedule and node, and the pod cannot start at all while the hub or bucket is unreachable or rate-limits.',
    fixable: false,
    options: {},
  },
  check({ workload, kubernetesVersion, report }) {
    let usesThem: boolean | undefined;
    const accelerated = () => (usesThem ??= usesAccelerators(workload));
    for (const container of workload.containers) {
      if (container.kind === 'ephemeralContainer') continue;
      const split = splitCommand(workload.doc, container);
      const download = explicitDownloads(workload, container, accelerated, split) ?? serverDownload(workload, container, split);
      // A persistent volume may hold the copy already: `hf download --local-dir` and `s3 sync` then transfer nothing.
      // (Looked at only for a container that downloads: most do not, and the check reads every volume.)
      if (!download || mountsPersistentVolume(workload, container)) continue;
      const when = container.kind === 'initContainer' ? 'before the app containers start' : 'before it can serve';
      report({
        target: download.target,
        message: `${describeContainer(container)} ${download.what} at every pod start, ${when}: a 7B model in 16-bit weights is about 15 GB and a 70B one about 140 GB (about 2 and 19 minutes at 1 Gbit/s), repeated for every new pod. Keep the weights close to the node and mount them: ${cachePlaces(kubernetesVersion)}.`,
      });
    }
  },
});
