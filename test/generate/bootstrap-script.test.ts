import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bootstrapScript from '../../core/generate/bootstrap-script';
import type { GeneratedFile, ImageInventory } from '../../core/generate/types';
import { DIGESTS, sampleInventory } from './image-cache-inventory';

function generate(options: Record<string, string | number | string[]>, inventory: ImageInventory = sampleInventory()): GeneratedFile {
  return bootstrapScript.generate({ inventory, options, kubernetesVersion: '1.34' });
}

/** The shell script of a user-data file: the text/x-shellscript part between the boundaries. */
function scriptPart(userData: string): string {
  const boundary = /boundary="([^"]+)"/.exec(userData)?.[1];
  assert.ok(boundary, 'a MIME boundary');
  const parts = userData.split(`--${boundary}`);
  // preamble, one part, then the closing `--` and the epilogue
  assert.equal(parts.length, 3);
  assert.match(parts[2], /^--\n?$/);
  const [headers, ...body] = parts[1].replace(/^\n/, '').split('\n\n');
  assert.match(headers, /^Content-Type: text\/x-shellscript; charset="us-ascii"$/);
  return body.join('\n\n');
}

/** The worker script the main script hands to xargs (a quoted here-document). */
function workerOf(script: string): string {
  const match = /^PULL_ONE=\$\(cat <<'PODSTART_PULL_ONE'\n([\s\S]*?)\nPODSTART_PULL_ONE\n\)$/m.exec(script);
  assert.ok(match, 'the worker here-document');
  return match[1];
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

/**
 * A fake crictl / ctr / systemctl: records every call, answers `version`, and pulls by sleeping a
 * little, failing the references the environment names (always, or only the first time), or
 * hanging on one (for the timeout).
 */
const FAKE_TOOL = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
case " $* " in *" version "*) exit 0 ;; esac
[ "$(basename "$0")" = systemctl ] && exit 0
eval "reference=\\\${$#}"
key=$(printf '%s' "$reference" | tr -c 'A-Za-z0-9' '_')
count=$(( $(cat "$FAKE_DIR/count-$key" 2>/dev/null || echo 0) + 1 ))
echo "$count" > "$FAKE_DIR/count-$key"
echo "start $(date +%s%N)" >> "$FAKE_DIR/events"
if [ "$reference" = "\${FAKE_HANG:-}" ]; then exec sleep 30; fi
sleep 0.2
echo "end $(date +%s%N)" >> "$FAKE_DIR/events"
if [ "$reference" = "\${FAKE_FAIL:-}" ]; then echo "rpc error: code = NotFound desc = failed to resolve reference" >&2; exit 1; fi
if [ "$reference" = "\${FAKE_FLAKY:-}" ] && [ "$count" -eq 1 ]; then echo "dial tcp: i/o timeout" >&2; exit 1; fi
echo "Image is up to date for sha256:0000"
`;

interface Run {
  status: number | null;
  log: string;
  calls: string[];
  /** Successful or failed pull calls per reference. */
  pulls: Map<string, string[][]>;
  maxConcurrent: number;
}

function runScript(script: string, tool: string, env: Record<string, string> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'podstart-prepull-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const name of [tool, 'systemctl']) {
      writeFileSync(join(bin, name), FAKE_TOOL);
      chmodSync(join(bin, name), 0o755);
    }
    const path = join(dir, 'prepull.sh');
    writeFileSync(path, script);
    const result = spawnSync('sh', [path], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir, CONTAINERD_SOCKET: join(dir, 'containerd.sock'), PODSTART_PULL_RETRY_DELAY: '0', PODSTART_HOSTS_DIR: join(dir, 'no-hosts-dir'), ...env },
    });
    const calls = readOrEmpty(join(dir, 'calls')).split('\n').filter(Boolean);
    const pulls = new Map<string, string[][]>();
    for (const call of calls) {
      const args = call.split(' ');
      if (!args.includes('pull')) continue;
      const reference = args[args.length - 1];
      pulls.set(reference, [...(pulls.get(reference) ?? []), args]);
    }
    return { status: result.status, log: `${result.stdout}${result.stderr}`, calls, pulls, maxConcurrent: maxConcurrent(readOrEmpty(join(dir, 'events'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The most pulls that were running at one time, from the fake's start and end stamps. */
function maxConcurrent(events: string): number {
  const stamps = events
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .map(([kind, time]) => ({ delta: kind === 'start' ? 1 : -1, time: BigInt(time) }))
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.delta - b.delta));
  let running = 0;
  let most = 0;
  for (const stamp of stamps) most = Math.max(most, (running += stamp.delta));
  return most;
}

/** What crictl pulls: the inventory's pinned references, each once (two references pinned to one digest are one pull). */
const CRICTL_REFERENCES = [
  `ghcr.io/acme/api:1.4.2@${DIGESTS.api}`,
  `busybox:1.36@${DIGESTS.busybox}`,
  `quay.io/prometheus/node-exporter@${DIGESTS.exporter}`,
  'nginx:latest',
  'registry.example.com:5000/acme/batch:2024',
  `nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`,
];

describe('generate bootstrap-script', () => {
  for (const tool of ['crictl', 'ctr']) {
    for (const target of ['plain', 'eks']) {
      describe(`${tool}, ${target}`, () => {
        const file = generate({ tool, target });
        const script = target === 'eks' ? scriptPart(file.text) : file.text;

        it('is POSIX sh that parses, with set -eu, and its worker parses too', () => {
          assert.match(script, /^#!\/bin\/sh\n/);
          assert.match(script, /^set -eu$/m);
          for (const text of [script, workerOf(script)]) {
            const check = spawnSync('sh', ['-n'], { input: text, encoding: 'utf8' });
            assert.equal(check.status, 0, check.stderr);
          }
        });

        it('passes shellcheck as sh', function () {
          if (!hasShellcheck) this.skip();
          for (const text of [script, `#!/bin/sh\n${workerOf(script)}\n`]) {
            const check = spawnSync('shellcheck', ['-s', 'sh', '-S', 'style', '-'], { input: text, encoding: 'utf8' });
            assert.equal(check.status, 0, check.stdout);
          }
        });

        it('names where each image came from and how it was pinned, and flags moving tags', () => {
          assert.match(script, /# ghcr\.io\/acme\/api:1\.4\.2: Deployment shop\/api, container api \(deploy\/api\.yaml:21\)/);
          assert.match(script, /# busybox:1\.36: Deployment shop\/api, init container wait-for-db \(deploy\/api\.yaml:15\)/);
          assert.match(script, /# nginx:latest: [^\n]*\n(#[^\n]*\n)*[^\n]*MUTABLE: the tag :latest can move/);
          assert.ok(file.notes.some((note) => note.includes('nginx:latest') && /can move/.test(note)));
        });

        it('embeds no credentials and says how to pass them', () => {
          assert.match(script, /PODSTART_REGISTRY_CREDS="\$\{PODSTART_REGISTRY_CREDS:-\}"/);
          // Comments wrap: read them as prose.
          assert.match(script.replace(/\n\s*# ?/g, ' '), /Never write the password in this file/);
          assert.ok(file.notes.some((note) => /ghcr\.io, nvcr\.io, registry\.example\.com:5000/.test(note)));
        });
      });
    }
  }

  it('runs: pulls every image once by its pinned reference, in parallel within the bound, and logs one line per image', () => {
    const run = runScript(generate({ tool: 'crictl', concurrency: 3 }).text, 'crictl');
    assert.equal(run.status, 0, run.log);
    assert.deepEqual(new Set(run.pulls.keys()), new Set(CRICTL_REFERENCES));
    for (const [reference, calls] of run.pulls) {
      assert.equal(calls.length, 1, `${reference} pulled once`);
      assert.match(run.log, new RegExp(`podstart-prepull: pulled ${escape(reference)} in \\d+s \\(attempt 1 of 3\\)`));
    }
    assert.ok(run.maxConcurrent >= 2 && run.maxConcurrent <= 3, `${run.maxConcurrent} pulls at once`);
    assert.match(run.log, /pulled all 6 images/);
    // crictl talks to the socket it is given, before pulling too.
    assert.ok(run.calls.every((call) => call.includes('--runtime-endpoint unix://')));
    assert.ok(run.calls[0].endsWith('version'));
  });

  it('runs: retries a failed pull, and reports an image that keeps failing with exit status 1', () => {
    const flaky = 'nginx:latest';
    const broken = 'registry.example.com:5000/acme/batch:2024';
    const run = runScript(generate({ tool: 'crictl' }).text, 'crictl', { FAKE_FLAKY: flaky, FAKE_FAIL: broken });
    assert.equal(run.status, 1);
    assert.equal(run.pulls.get(flaky)!.length, 2);
    assert.match(run.log, /retrying nginx:latest in 0s: attempt 1 of 3 failed \(exit 1\): dial tcp: i\/o timeout/);
    assert.match(run.log, /pulled nginx:latest in \d+s \(attempt 2 of 3\)/);
    assert.equal(run.pulls.get(broken)!.length, 3);
    assert.match(run.log, /FAILED registry\.example\.com:5000\/acme\/batch:2024 after 3 attempts: rpc error: code = NotFound/);
    assert.match(run.log, /1 of 6 images could not be pulled in \d+s:/);
    assert.match(run.log, /not pulled: registry\.example\.com:5000\/acme\/batch:2024/);
    // The other images are pulled once each all the same.
    for (const reference of CRICTL_REFERENCES.filter((candidate) => candidate !== flaky && candidate !== broken)) assert.equal(run.pulls.get(reference)!.length, 1);
  });

  it('runs: stops a pull at its timeout and starts none past the deadline', () => {
    const hanging = `nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`;
    const timedOut = runScript(generate({ tool: 'crictl', attempts: 1 }).text, 'crictl', { FAKE_HANG: hanging, PODSTART_PULL_TIMEOUT: '1' });
    assert.equal(timedOut.status, 1);
    assert.match(timedOut.log, new RegExp(`FAILED ${escape(hanging)} after 1 attempts: timed out`));
    const late = runScript(generate({ tool: 'crictl' }).text, 'crictl', { PODSTART_PULL_DEADLINE_SECONDS: '0' });
    assert.equal(late.status, 1);
    assert.equal(late.pulls.size, 0);
    assert.match(late.log, /FAILED nginx:latest: the deadline passed before attempt 1/);
  });

  it('runs: passes PODSTART_REGISTRY_CREDS only to the pulls of images whose workloads have pull secrets', () => {
    const run = runScript(generate({ tool: 'crictl' }).text, 'crictl', { PODSTART_REGISTRY_CREDS: 'robot:s3cret' });
    assert.equal(run.status, 0, run.log);
    const withCreds = [...run.pulls].filter(([, calls]) => calls[0].join(' ').includes('--creds robot:s3cret')).map(([reference]) => reference);
    assert.deepEqual(new Set(withCreds), new Set([`ghcr.io/acme/api:1.4.2@${DIGESTS.api}`, 'registry.example.com:5000/acme/batch:2024', `nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`]));
    assert.doesNotMatch(run.log, /s3cret/);
  });

  it('runs with ctr: full names in the k8s.io namespace, by digest where known, with the registry hosts directory when it exists', () => {
    const hosts = mkdtempSync(join(tmpdir(), 'podstart-hosts-'));
    try {
      const run = runScript(generate({ tool: 'ctr' }).text, 'ctr', { PODSTART_HOSTS_DIR: hosts });
      assert.equal(run.status, 0, run.log);
      assert.deepEqual(
        new Set(run.pulls.keys()),
        new Set([
          `ghcr.io/acme/api@${DIGESTS.api}`,
          `docker.io/library/busybox@${DIGESTS.busybox}`,
          `quay.io/prometheus/node-exporter@${DIGESTS.exporter}`,
          'docker.io/library/nginx:latest',
          'registry.example.com:5000/acme/batch:2024',
          `nvcr.io/nvidia/pytorch@${DIGESTS.pytorch}`,
        ]),
      );
      for (const [, calls] of run.pulls) {
        assert.equal(calls.length, 1);
        assert.match(calls[0].join(' '), new RegExp(`^--address \\S+ --namespace k8s\\.io images pull --hosts-dir ${escape(hosts)} `));
      }
    } finally {
      rmSync(hosts, { recursive: true, force: true });
    }
  });

  it('runs the EKS user data: starts containerd first (nodeadm starts it only after user data), then pulls', () => {
    const run = runScript(scriptPart(generate({ tool: 'crictl', target: 'eks' }).text), 'crictl');
    assert.equal(run.status, 0, run.log);
    assert.equal(run.calls[0], 'start containerd');
    assert.equal(run.pulls.size, CRICTL_REFERENCES.length);
  });

  it('writes EKS user data as MIME multi-part in plain ASCII', () => {
    const text = generate({ target: 'eks' }).text;
    assert.match(text, /^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="([^"]+)"\n\n--\1\n/);
    assert.match(text, /\n--==PODSTART-PREPULL==--\n$/);
    assert.doesNotMatch(text, /[^\x09\x0a\x20-\x7e]/);
    const inventory = sampleInventory();
    inventory.images[0].sources[0].file = 'déploiement/api.yaml';
    assert.doesNotMatch(generate({ target: 'eks' }, inventory).text, /[^\x09\x0a\x20-\x7e]/);
  });

  it('pulls only the images of the node pools a node with the given labels belongs to', () => {
    const gpu = generate({ nodeLabels: ['pool=gpu'] });
    const pulled = [...gpu.text.matchAll(/^ {2}printf '%s %s\\n' '([^']+)'/gm)].map((match) => match[1]);
    // The pools without a selector and with pool=gpu; not the zone-a pool's batch image.
    assert.deepEqual(new Set(pulled), new Set(CRICTL_REFERENCES.filter((reference) => !reference.startsWith('registry.example.com'))));
    const zoneA = generate({ nodeLabels: ['pool=gpu', 'zone=a'] });
    assert.ok(zoneA.text.includes("'registry.example.com:5000/acme/batch:2024'"));
    assert.throws(() => generate({ nodeLabels: ['gpu'] }), /--node-labels takes key=value labels/);
  });

  it('refuses a tool it does not know when called directly, naming the flag as the CLI does', () => {
    assert.throws(() => generate({ tool: 'docker' }), { name: 'GeneratorOptionError', message: '--tool must be one of crictl, ctr, not "docker".' });
    assert.throws(() => generate({ concurrency: 'many' }), { name: 'GeneratorOptionError', message: '--concurrency takes a number, not "many".' });
  });

  it('pulls the largest images first when the sizes are known', () => {
    const pulled = [...generate({}).text.matchAll(/^ {2}printf '%s %s\\n' '([^']+)'/gm)].map((match) => match[1]);
    assert.equal(pulled[0], `nvcr.io/nvidia/pytorch:24.05-py3@${DIGESTS.pytorch}`);
    assert.equal(pulled[1], `ghcr.io/acme/api:1.4.2@${DIGESTS.api}`);
  });

  it('is the same text every time', () => {
    assert.equal(generate({ tool: 'ctr', target: 'eks' }).text, generate({ tool: 'ctr', target: 'eks' }).text);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
