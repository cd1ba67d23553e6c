/**
 * An HTTPS server that speaks the Kubernetes REST API, for tests of Podstart's cluster features
 * against @kubernetes/client-node. Start with `new KubeApiTestServer({...}).start()`; see server.ts.
 */
export { KubeApiTestServer } from './server';
export type { KubeApiTestServerOptions, KubeconfigContextSpec, KubeconfigOptions, ObjectReference, StartedKubeApiServer, TestUser } from './server';
export { CLUSTER_ADMIN_RULES } from './authorization';
export type { PolicyRule } from './authorization';
export { createCertificateAuthority } from './certificates';
export type { CertificateAuthority, KeyAndCertificate } from './certificates';
export type { Fault, FaultRule, InjectedFault } from './faults';
export { fixtureObjects, readFixtureFile } from './fixture-input';
export type { FixtureInput } from './fixture-input';
export type { KubeletFixture, KubeletResponse } from './node-proxy';
export type { RecordedRequest } from './request-log';
export type { KubeObject } from './resources';
export type { KubeStatus } from './status';
