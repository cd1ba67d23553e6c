/**
 * Who sent a request, decided as kube-apiserver's authenticators decide (see "Authenticating" in
 * the Kubernetes documentation): a client certificate signed by the cluster CA names the user in
 * its CommonName and the groups in its Organizations; a bearer token (`Authorization: Bearer …`)
 * names the user it was issued to. Every authenticated user is also in `system:authenticated`.
 * A request with neither is anonymous (`system:anonymous` in `system:unauthenticated`) when
 * anonymous auth is on, and unauthenticated (401) when it is off; a token that matches no user is
 * always 401, like a certificate from another CA when no token authenticates the request.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface AuthenticatedUser {
  name: string;
  groups: string[];
  authenticatedBy: 'certificate' | 'token' | 'anonymous';
}

export interface TokenOwner {
  name: string;
  groups: string[];
}

export type AuthenticationResult = { user: AuthenticatedUser } | { failure: 'no credentials' | 'invalid bearer token' | 'certificate not trusted' };

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, token] = header.split(' ', 3);
  if (scheme.toLowerCase() !== 'bearer' || !token) return undefined;
  return token;
}

export function authenticate(request: IncomingMessage, tokens: ReadonlyMap<string, TokenOwner>, anonymousAuth: boolean): AuthenticationResult {
  const socket = request.socket as TLSSocket;
  const certificate = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const presentedCertificate = certificate !== undefined && Object.keys(certificate).length > 0;
  const commonName = presentedCertificate ? asList(certificate.subject?.CN)[0] : undefined;
  if (presentedCertificate && socket.authorized && commonName) {
    return {
      user: { name: commonName, groups: [...asList(certificate.subject.O), 'system:authenticated'], authenticatedBy: 'certificate' },
    };
  }

  const token = bearerToken(request);
  if (token !== undefined) {
    const owner = tokens.get(token);
    if (!owner) return { failure: 'invalid bearer token' };
    return { user: { name: owner.name, groups: [...owner.groups, 'system:authenticated'], authenticatedBy: 'token' } };
  }
  if (presentedCertificate) return { failure: 'certificate not trusted' };
  if (!anonymousAuth) return { failure: 'no credentials' };
  return { user: { name: 'system:anonymous', groups: ['system:unauthenticated'], authenticatedBy: 'anonymous' } };
}
