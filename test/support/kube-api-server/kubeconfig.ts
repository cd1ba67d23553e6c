/**
 * Kubeconfig files for the test cluster, as users have them: one cluster (its server URL and CA),
 * users with a bearer token or a client certificate and key, and contexts pairing a user with a
 * namespace. Written as YAML (scalars double-quoted, so no value can change meaning), with the
 * certificates embedded (`*-data`, base64) or as files beside the kubeconfig (relative paths,
 * which clients resolve against the kubeconfig's directory).
 */

export interface KubeconfigUser {
  name: string;
  token?: string;
  clientCertificatePem?: string;
  clientKeyPem?: string;
}

export interface KubeconfigContext {
  name: string;
  user: string;
  namespace?: string;
}

export interface KubeconfigDocument {
  clusterName: string;
  server: string;
  caPem: string;
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
  currentContext: string;
}

/** Where certificate files are, relative to the kubeconfig, when they are not embedded. */
export interface CertificateFiles {
  certificateAuthority: string;
  clientCertificates: Record<string, { certificate: string; key: string }>;
}

function quoted(value: string): string {
  // A JSON string is a valid YAML 1.2 double-quoted scalar.
  return JSON.stringify(value);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

export function renderKubeconfig(document: KubeconfigDocument, files?: CertificateFiles): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:', `- name: ${quoted(document.clusterName)}`, '  cluster:', `    server: ${quoted(document.server)}`];
  if (files) lines.push(`    certificate-authority: ${quoted(files.certificateAuthority)}`);
  else lines.push(`    certificate-authority-data: ${quoted(base64(document.caPem))}`);

  lines.push('users:');
  for (const user of document.users) {
    lines.push(`- name: ${quoted(user.name)}`, '  user:');
    if (user.token !== undefined) lines.push(`    token: ${quoted(user.token)}`);
    if (user.clientCertificatePem !== undefined && user.clientKeyPem !== undefined) {
      const userFiles = files?.clientCertificates[user.name];
      if (userFiles) {
        lines.push(`    client-certificate: ${quoted(userFiles.certificate)}`, `    client-key: ${quoted(userFiles.key)}`);
      } else {
        lines.push(`    client-certificate-data: ${quoted(base64(user.clientCertificatePem))}`, `    client-key-data: ${quoted(base64(user.clientKeyPem))}`);
      }
    }
    if (user.token === undefined && user.clientCertificatePem === undefined) lines.push('    {}');
  }

  lines.push('contexts:');
  for (const context of document.contexts) {
    lines.push(`- name: ${quoted(context.name)}`, '  context:', `    cluster: ${quoted(document.clusterName)}`, `    user: ${quoted(context.user)}`);
    if (context.namespace !== undefined) lines.push(`    namespace: ${quoted(context.namespace)}`);
  }
  lines.push(`current-context: ${quoted(document.currentContext)}`, 'preferences: {}', '');
  return lines.join('\n');
}
