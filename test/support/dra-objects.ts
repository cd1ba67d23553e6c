/**
 * DRA objects as manifests write them, for the tests of what Podstart reads across documents: a
 * ResourceClaimTemplate, a DeviceClass, and a Pod naming a claim from a template (or a shared claim).
 */

/** A v1 ResourceClaimTemplate asking for one device of a class. */
export const template = (name: string, namespace: string | undefined, deviceClassName = 'gpu.nvidia.com') => `apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: ${deviceClassName}
`;

export const deviceClass = (name: string) => `apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: ${name}
spec:
  selectors:
  - cel:
      expression: "device.driver == 'gpu.nvidia.com'"
`;

/** A Pod in a namespace whose claim `gpu` comes from a template (or, with `key`, a shared claim); the reference is on line 9 of the document (8 without a namespace). */
export const pod = (namespace: string | undefined, reference: string, key = 'resourceClaimTemplateName') => `apiVersion: v1
kind: Pod
metadata:
  name: inference
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  resourceClaims:
  - name: gpu
    ${key}: ${reference}
  containers:
  - name: ctr
    image: nvcr.io/nvidia/k8s/cuda-sample:nbody-cuda11.7.1-ubuntu18.04
    resources:
      claims:
      - name: gpu
`;
