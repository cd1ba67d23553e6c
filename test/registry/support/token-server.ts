/**
 * A token service for the registry's `auth: token` mode, as the Distribution token specification
 * describes it: GET /token?service=...&scope=... (Basic credentials optional) and the OAuth2
 * refresh-token POST, answering with a JWT signed by a test key (ES256) whose self-signed
 * certificate the registry trusts through `rootcertbundle`. The JWT header carries the key's
 * libtrust fingerprint as `kid`, which is how distribution 2.8 finds the key.
 *
 * Access policy: repositories under `public/` may be pulled anonymously; every other repository
 * needs a known user (or refresh token); pushing is granted only to tokens this file mints directly
 * for the test's push helper. Requests are recorded for assertions.
 */
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const TOKEN_SERVICE = 'podstart-test-registry';
export const TOKEN_ISSUER = 'podstart-test-token-issuer';

export interface TokenRequestRecord {
  method: string;
  scope: string[];
  /** Whether the request authenticated (Basic or refresh token), and as whom. */
  subject: string | undefined;
  status: number;
}

export interface TokenServerOptions {
  users: Record<string, string>;
  /** Refresh tokens (identity tokens in ~/.docker/config.json) and the user each stands for. */
  refreshTokens?: Record<string, string>;
  /** Which response field carries the token: Distribution's `token`, OAuth2's `access_token`, or both. */
  tokenField?: 'token' | 'access_token' | 'both';
}

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export class TokenServer {
  readonly requests: TokenRequestRecord[] = [];
  tokenField: 'token' | 'access_token' | 'both';
  private server: Server | undefined;
  private port = 0;

  private constructor(
    private readonly key: KeyObject,
    private readonly keyId: string,
    readonly rootCertBundle: string,
    private readonly directory: string,
    private readonly options: TokenServerOptions,
  ) {
    this.tokenField = options.tokenField ?? 'token';
  }

  /** Generates a key and certificate (with openssl) and starts listening on 127.0.0.1. */
  static async start(options: TokenServerOptions): Promise<TokenServer> {
    const directory = mkdtempSync(path.join(tmpdir(), 'podstart-token-'));
    const keyPath = path.join(directory, 'key.pem');
    const certPath = path.join(directory, 'cert.pem');
    const result = spawnSync(
      '/usr/bin/openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=podstart-test-token-issuer'],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`openssl could not create the token signing certificate: ${result.stderr || result.error?.message}`);
    const key = createPrivateKey(readFileSync(keyPath));
    const tokenServer = new TokenServer(key, libtrustKeyId(createPublicKey(key)), certPath, directory, options);
    await tokenServer.listen();
    return tokenServer;
  }

  get realm(): string {
    return `http://127.0.0.1:${this.port}/token`;
  }

  /** A token with exactly `access`, for the push helper. */
  mint(access: Access[], subject = 'podstart-test-pusher'): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', kid: this.keyId };
    const claims = { iss: TOKEN_ISSUER, sub: subject, aud: TOKEN_SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: this.key, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${base64url(signature)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private listen(): Promise<void> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        response.statusCode = 500;
        response.end();
      });
    });
    return new Promise((resolve) => {
      this.server!.listen(0, '127.0.0.1', () => {
        this.port = (this.server!.address() as { port: number }).port;
        resolve();
      });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.realm);
    if (url.pathname !== '/token') return this.answer(response, request.method ?? '', [], undefined, 404, { error: 'not found' });
    let scope: string[];
    let service: string | null;
    let subject: string | undefined;
    if (request.method === 'POST') {
      const form = new URLSearchParams(await readBody(request));
      service = form.get('service');
      scope = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (form.get('grant_type') !== 'refresh_token' || !form.get('client_id')) return this.answer(response, 'POST', scope, undefined, 400, { error: 'unsupported_grant_type' });
      subject = this.options.refreshTokens?.[form.get('refresh_token') ?? ''];
      if (!subject) return this.answer(response, 'POST', scope, undefined, 401, { error: 'invalid_grant' });
    } else {
      service = url.searchParams.get('service');
      scope = url.searchParams.getAll('scope');
      const credentials = basicCredentials(request.headers.authorization);
      if (credentials) {
        if (this.options.users[credentials.user] !== credentials.password) return this.answer(response, 'GET', scope, undefined, 401, { details: 'incorrect username or password' });
        subject = credentials.user;
      }
    }
    if (service !== TOKEN_SERVICE) return this.answer(response, request.method ?? '', scope, subject, 400, { error: 'unknown service' });
    // Grant the intersection of what was asked and what the policy allows; an empty grant is not an error (token.md).
    const access: Access[] = [];
    for (const entry of scope) {
      const [type, name, actions] = entry.split(':');
      if (type !== 'repository' || !name || !actions) continue;
      const readable = name.startsWith('public/') || subject !== undefined;
      if (readable && actions.split(',').includes('pull')) access.push({ type, name, actions: ['pull'] });
    }
    const token = this.mint(access, subject ?? '');
    const body: Record<string, unknown> = { expires_in: 300, issued_at: new Date().toISOString() };
    if (this.tokenField !== 'access_token') body.token = token;
    if (this.tokenField !== 'token') body.access_token = token;
    return this.answer(response, request.method ?? '', scope, subject, 200, body);
  }

  private answer(response: ServerResponse, method: string, scope: string[], subject: string | undefined, status: number, body: object): void {
    this.requests.push({ method, scope, subject, status });
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** libtrust's key ID: SHA-256 of the DER public key, first 240 bits, base32 in 12 groups of 4. */
function libtrustKeyId(publicKey: KeyObject): string {
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  const encoded = base32(digest);
  return encoded.match(/.{4}/g)!.join(':');
}

function base32(bytes: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) output += alphabet[(value << (5 - bits)) & 31];
  return output;
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

function basicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
