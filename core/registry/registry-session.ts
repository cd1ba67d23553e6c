/**
 * Authenticated requests to one repository on one registry, following the registry's
 * `WWW-Authenticate` challenge as the Distribution token specification describes: ask
 * anonymously first; on 401 with a Bearer challenge, get a token from the challenge's realm for its
 * service and scope (with the user's credentials when there are any, else anonymously, which is how
 * public images on Docker Hub, ghcr.io or quay.io are read) and repeat the request once with it;
 * on a Basic challenge, repeat it once with the user's credentials. Credentials are never sent
 * before a challenge asks for them, and never over plain http to a host that is not loopback or
 * marked insecure.
 */
import { createHash } from 'node:crypto';
import type { RegistryCredentials } from './docker-credentials';
import {
  RegistryBadResponseError,
  RegistryRateLimitedError,
  RegistryUnauthorizedError,
  RegistryUnreachableError,
  redactSecrets,
} from './registry-errors';
import type { Deadline, HttpResponse, RegistryHttp } from './registry-http';
import type { TokenCache } from './token-cache';
import { parseAuthChallenges, type AuthChallenge } from './www-authenticate';

const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** Sent to token services as `client_id`, which the OAuth2 flow requires and audit logs show. */
const CLIENT_ID = 'podstart';

export interface SessionOptions {
  http: RegistryHttp;
  tokens: TokenCache;
  registry: string;
  repository: string;
  credentials: RegistryCredentials;
  deadline: Deadline;
}

export interface SessionRequest {
  method: 'GET' | 'HEAD';
  path: string;
  headers: Record<string, string>;
  maxBodyBytes: number;
}

export class RegistrySession {
  /** Whether the user's credentials went out (to the registry, or to its token service), for explaining a refusal. */
  sentCredentials = false;

  constructor(private readonly options: SessionOptions) {}

  /** Every secret this session could have handled, for redaction. */
  secrets(): string[] {
    const { credentials, tokens } = this.options;
    const secrets = tokens.values();
    if (credentials.kind === 'basic') secrets.push(credentials.password, basicAuthValue(credentials.username, credentials.password).slice('Basic '.length));
    if (credentials.kind === 'identity-token') secrets.push(credentials.token);
    return secrets;
  }

  async request(request: SessionRequest): Promise<HttpResponse> {
    const { http, tokens, registry, deadline } = this.options;
    const url = http.urlFor(registry, request.path);
    const send = (authorization: string | undefined) =>
      http.send({ method: request.method, url, headers: { ...request.headers, ...(authorization ? { authorization } : {}) }, maxBodyBytes: request.maxBodyBytes }, deadline);

    const cachedToken = tokens.get(this.tokenKey());
    let response = await send(cachedToken && `Bearer ${cachedToken}`);
    if (response.status !== 401) {
      if (cachedToken) this.sentCredentials = this.hasCredentials();
      return response;
    }
    if (cachedToken) tokens.delete(this.tokenKey());

    const challenges = parseAuthChallenges(response.headers['www-authenticate'] ?? []);
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer');
    const basic = challenges.find((challenge) => challenge.scheme === 'basic');
    const { credentials } = this.options;
    let authorization: string;
    if (bearer) {
      authorization = `Bearer ${await this.obtainToken(bearer)}`;
    } else if (basic && credentials.kind === 'basic') {
      authorization = basicAuthValue(credentials.username, credentials.password);
      this.sentCredentials = true;
    } else {
      // A Basic challenge without credentials, or a scheme registries do not use: the 401 stands.
      return response;
    }
    return send(authorization);
  }

  private hasCredentials(): boolean {
    return this.options.credentials.kind === 'basic' || this.options.credentials.kind === 'identity-token';
  }

  private tokenKey(): string {
    const { registry, repository, credentials } = this.options;
    // Tokens obtained with different credentials grant different access; key them apart without
    // keeping the credentials themselves in the key.
    const identity = createHash('sha256').update(JSON.stringify(credentials)).digest('hex').slice(0, 16);
    return `${registry}|${repository}|${identity}`;
  }

  private async obtainToken(challenge: AuthChallenge): Promise<string> {
    const { http, registry, repository, credentials, deadline } = this.options;
    const { realm, service } = challenge.params;
    if (!realm) throw new RegistryBadResponseError(`${registry} asked for a bearer token without naming a token service (no realm)`, registry);
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryBadResponseError(`${registry} named a token service that is not a URL`, registry);
    }
    http.assertAllowedUrl(realmUrl, 'the token service');
    // The challenge's scope says what the registry wants; without one, pull access to the repository.
    const scopes = (challenge.params.scope ?? `repository:${repository}:pull`).split(' ').filter(Boolean);

    let response: HttpResponse;
    if (credentials.kind === 'identity-token') {
      // OAuth2 refresh-token grant (Distribution's oauth.md), which identity tokens require.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: CLIENT_ID });
      if (service) form.set('service', service);
      if (scopes.length) form.set('scope', scopes.join(' '));
      this.sentCredentials = true;
      response = await http.send(
        { method: 'POST', url: realmUrl, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES },
        deadline,
      );
    } else {
      const url = new URL(realmUrl);
      if (service) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (credentials.kind === 'basic') {
        headers.authorization = basicAuthValue(credentials.username, credentials.password);
        this.sentCredentials = true;
      }
      response = await http.send({ method: 'GET', url, headers, maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES }, deadline);
    }

    const tokenHost = realmUrl.host;
    if (response.status === 401 || response.status === 403 || (response.status === 400 && credentials.kind === 'identity-token')) {
      throw new RegistryUnauthorizedError(`the token service at ${tokenHost} refused ${this.sentCredentials ? 'the credentials' : 'anonymous access'} for ${registry} (HTTP ${response.status})`, registry);
    }
    if (response.status === 429) throw new RegistryRateLimitedError(`the token service at ${tokenHost} is rate-limiting requests (HTTP 429)`, registry);
    if (response.status >= 500) throw new RegistryUnreachableError(`the token service at ${tokenHost} answered HTTP ${response.status}`, registry);
    if (response.status !== 200) throw new RegistryBadResponseError(`the token service at ${tokenHost} answered HTTP ${response.status}`, registry);

    let answer: unknown;
    try {
      answer = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RegistryBadResponseError(`the token service at ${tokenHost} did not answer with JSON`, registry);
    }
    const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
    // Distribution's token service sends `token`; OAuth2 services send `access_token`; both may appear.
    const token = typeof fields.token === 'string' && fields.token ? fields.token : typeof fields.access_token === 'string' ? fields.access_token : '';
    if (!token) throw new RegistryBadResponseError(`the token service at ${tokenHost} answered without a token`, registry);
    const lifetime = typeof fields.expires_in === 'number' && fields.expires_in > 0 ? fields.expires_in : 60;
    this.options.tokens.set(this.tokenKey(), token, lifetime);
    return token;
  }

  /** Text from a server, made safe to show: every secret this session knows of is removed. */
  redact(text: string): string {
    return redactSecrets(text, this.secrets());
  }
}

function basicAuthValue(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
