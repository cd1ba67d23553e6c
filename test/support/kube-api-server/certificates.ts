/**
 * The test cluster's PKI: a CA, a serving certificate for 127.0.0.1 and localhost, and client
 * certificates the way kube-apiserver's x509 authenticator reads them (CommonName = user name,
 * each Organization = a group), all signed by the CA.
 *
 * node-forge builds and signs the certificates (Node has no API for that); the RSA keys come from
 * Node's own crypto, which is much faster than forge's pure-JavaScript key generation.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyAndCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateAuthority extends KeyAndCertificate {
  /** Signs a serving certificate valid for the given IP addresses and DNS names. */
  issueServingCertificate(ipAddresses: string[], dnsNames: string[]): KeyAndCertificate;
  /** Signs a client certificate for `userName` in `groups` (CN and O, as kube-apiserver reads them). */
  issueClientCertificate(userName: string, groups?: string[]): KeyAndCertificate;
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

function rsaKeyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    privateKeyPem: privateKey,
  };
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, validDays: number): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  // A positive serial: the high bit of the first byte cleared, as RFC 5280 asks.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  certificate.serialNumber = serial.toString('hex');
  // Backdated by an hour so that a clock a little behind the test's still accepts it.
  certificate.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  certificate.validity.notAfter = new Date(Date.now() + validDays * ONE_DAY_MS);
  return certificate;
}

/** Creates a self-signed CA named `commonName` (kubeadm names its CA "kubernetes"). */
export function createCertificateAuthority(commonName = 'kubernetes'): CertificateAuthority {
  const caKeys = rsaKeyPair();
  const caCertificate = newCertificate(caKeys.publicKey, 30);
  const caSubject = [{ name: 'commonName', value: commonName }];
  caCertificate.setSubject(caSubject);
  caCertificate.setIssuer(caSubject);
  caCertificate.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCertificate.sign(caKeys.privateKey, forge.md.sha256.create());

  const issue = (subject: forge.pki.CertificateField[], extensions: object[]): KeyAndCertificate => {
    const keys = rsaKeyPair();
    const certificate = newCertificate(keys.publicKey, 30);
    certificate.setSubject(subject);
    certificate.setIssuer(caCertificate.subject.attributes);
    certificate.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      ...extensions,
    ]);
    certificate.sign(caKeys.privateKey, forge.md.sha256.create());
    return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
  };

  return {
    certificatePem: forge.pki.certificateToPem(caCertificate),
    privateKeyPem: caKeys.privateKeyPem,
    issueServingCertificate(ipAddresses, dnsNames) {
      return issue(
        [{ name: 'commonName', value: 'kube-apiserver' }],
        [
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ipAddresses.map((ip) => ({ type: 7, ip }))],
          },
        ],
      );
    },
    issueClientCertificate(userName, groups = []) {
      return issue(
        [...groups.map((value) => ({ name: 'organizationName', value })), { name: 'commonName', value: userName }],
        [{ name: 'extKeyUsage', clientAuth: true }],
      );
    },
  };
}
