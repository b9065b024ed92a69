import { OpenAPISchema } from '../model/schema';
import { Xrd, XrdTarget, usesCrossplaneSpecField } from '../model/xrd';

const str: OpenAPISchema = { type: 'string' };
const nameRef: OpenAPISchema = {
  type: 'object',
  properties: { name: str },
  required: ['name'],
};
const selector: OpenAPISchema = {
  type: 'object',
  properties: { matchLabels: { type: 'object', additionalProperties: str } },
  required: ['matchLabels'],
};
const updatePolicy: OpenAPISchema = {
  type: 'string',
  enum: ['Automatic', 'Manual'],
};
const freeform: OpenAPISchema = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
};
const objectRef = (required: string[], namespaced: boolean): OpenAPISchema => ({
  type: 'object',
  properties: {
    apiVersion: str,
    kind: str,
    name: str,
    ...(namespaced ? { namespace: str } : {}),
  },
  required,
});

/**
 * The spec fields Crossplane adds to the CRD it generates for a claim or a
 * composite, so that manifests setting them validate as on the API server.
 */
export function machinerySpecProperties(
  xrd: Xrd,
  target: XrdTarget,
): Record<string, OpenAPISchema> {
  const common: Record<string, OpenAPISchema> = {
    compositionRef: nameRef,
    compositionSelector: selector,
    compositionRevisionRef: nameRef,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: updatePolicy,
  };
  if (target === 'claim') {
    return {
      ...common,
      compositeDeletePolicy: {
        type: 'string',
        enum: ['Background', 'Foreground'],
      },
      resourceRef: objectRef(['apiVersion', 'kind', 'name'], false),
      writeConnectionSecretToRef: {
        type: 'object',
        properties: { name: str },
        required: ['name'],
      },
      publishConnectionDetailsTo: freeform,
    };
  }
  if (usesCrossplaneSpecField(xrd)) {
    return {
      crossplane: {
        type: 'object',
        properties: {
          ...common,
          resourceRefs: {
            type: 'array',
            items: objectRef(['apiVersion', 'kind'], true),
          },
        },
      },
    };
  }
  return {
    ...common,
    claimRef: objectRef(['apiVersion', 'kind', 'namespace', 'name'], true),
    resourceRefs: {
      type: 'array',
      items: objectRef(['apiVersion', 'kind'], false),
    },
    writeConnectionSecretToRef: {
      type: 'object',
      properties: { name: str, namespace: str },
      required: ['name', 'namespace'],
    },
    publishConnectionDetailsTo: freeform,
    environmentConfigRefs: { type: 'array', items: freeform },
  };
}
