/**
 * Content digests (`sha256:<hex>`), the identity of every manifest and blob in a registry. The
 * client recomputes the digest of every manifest it reads: a digest is what "pin to digest" writes
 * into the user's files, so it must be the digest of the bytes the registry actually serves.
 */
import { createHash } from 'node:crypto';

const DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isValidDigest(text: string): boolean {
  return DIGEST_PATTERN.test(text);
}

/** The digest of `bytes` with the same algorithm as `like` (sha256 unless `like` is sha512). */
export function digestOf(bytes: Uint8Array, like?: string): string {
  const algorithm = like?.startsWith('sha512:') ? 'sha512' : 'sha256';
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
