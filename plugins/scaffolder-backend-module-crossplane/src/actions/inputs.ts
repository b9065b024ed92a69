import { z as zod } from 'zod/v3';

type Z = typeof zod;

/** Inputs shared by the actions that act on one object of a cluster. */
export const objectInputs = {
  cluster: (z: Z) =>
    z
      .string()
      .min(1)
      .describe('Name of the cluster, as in kubernetes.clusterLocatorMethods'),
  apiVersion: (z: Z) =>
    z
      .string()
      .min(1)
      .describe('apiVersion of the object, e.g. database.example.org/v1alpha1'),
  kind: (z: Z) =>
    z.string().min(1).describe('kind of the object, e.g. PostgreSQLInstance'),
  name: (z: Z) => z.string().min(1).describe('Name of the object'),
  namespace: (z: Z) =>
    z.string().optional().describe('Namespace of a namespaced object'),
  timeoutSeconds: (z: Z) =>
    z
      .number()
      .int()
      .positive()
      .default(600)
      .describe('How long to wait, in seconds'),
};
