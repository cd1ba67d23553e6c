import assert from 'node:assert/strict';
import { parseAuthChallenges } from '../../core/registry/www-authenticate';

describe('core/registry/www-authenticate', () => {
  it("reads Docker Hub's Bearer challenge", () => {
    assert.deepEqual(parseAuthChallenges(['Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"']), [
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' } },
    ]);
  });

  it('reads a Basic challenge, bare tokens, spaces and escapes', () => {
    assert.deepEqual(parseAuthChallenges(['Basic realm="Registry \\"prod\\""']), [{ scheme: 'basic', params: { realm: 'Registry "prod"' } }]);
    assert.deepEqual(parseAuthChallenges(['Bearer realm = "https://ghcr.io/token" , service=ghcr.io, error=insufficient_scope']), [
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', error: 'insufficient_scope' } },
    ]);
  });

  it('reads several challenges in one header and across headers', () => {
    const challenges = parseAuthChallenges(['Basic realm="a", Bearer realm="https://t.example/token",scope="repository:x:pull push"', 'Negotiate']);
    assert.deepEqual(
      challenges.map((challenge) => challenge.scheme),
      ['basic', 'bearer', 'negotiate'],
    );
    assert.equal(challenges[1]!.params.scope, 'repository:x:pull push');
  });

  it('stops at malformed input instead of guessing', () => {
    assert.deepEqual(parseAuthChallenges(['Bearer realm="unterminated']), [{ scheme: 'bearer', params: {} }]);
    assert.deepEqual(parseAuthChallenges(['']), []);
  });
});
