import { z as zod } from 'zod/v3';

type Z = typeof zod;

/*
 * Defaults are declared in the schemas for the template editor, and applied
 * again in the handlers: the scaffolder checks inputs against the JSON
 * Schema, which does not fill in defaults.
 */

/** Seconds to wait for an object to become ready or to go. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** Conditions `crossplane:wait` waits for. */
export const DEFAULT_CONDITIONS = ['Ready', 'Synced'];

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
      .default(DEFAULT_TIMEOUT_SECONDS)
      .describe('How long to wait, in seconds'),
};
