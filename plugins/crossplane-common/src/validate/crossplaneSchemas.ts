import { Xrd, XrdTarget, usesCrossplaneSpecField } from '../model/xrd';
import { JsonSchema } from './toJsonSchema';

const nameRef: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};
const selector: JsonSchema = {
  type: 'object',
  properties: {
    matchLabels: { type: 'object', additionalProperties: { type: 'string' } },
  },
  additionalProperties: false,
};
const objectRef: JsonSchema = {
  type: 'object',
  required: ['apiVersion', 'kind', 'name'],
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
  },
  additionalProperties: false,
};
const updatePolicy: JsonSchema = {
  type: 'string',
  enum: ['Automatic', 'Manual'],
};
const publishTo: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    configRef: nameRef,
    metadata: { type: 'object' },
  },
  additionalProperties: false,
};

function secretRef(withNamespace: boolean): JsonSchema {
  const properties: JsonSchema = { name: { type: 'string', minLength: 1 } };
  const required = ['name'];
  if (withNamespace) {
    properties.namespace = { type: 'string', minLength: 1 };
    required.push('namespace');
  }
  return { type: 'object', required, properties, additionalProperties: false };
}

/**
 * The spec fields Crossplane adds to the CRD it generates from an XRD, for
 * a claim or a composite of the XRD's scope.
 */
export function crossplaneSpecProperties(
  xrd: Xrd,
  target: XrdTarget,
): JsonSchema {
  const composition: JsonSchema = {
    compositionRef: nameRef,
    compositionSelector: selector,
    compositionRevisionRef: nameRef,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: updatePolicy,
  };
  if (target === 'claim') {
    return {
      ...composition,
      compositeDeletePolicy: {
        type: 'string',
        enum: ['Background', 'Foreground'],
      },
      resourceRef: objectRef,
      writeConnectionSecretToRef: secretRef(false),
      publishConnectionDetailsTo: publishTo,
    };
  }
  if (!usesCrossplaneSpecField(xrd)) {
    return {
      ...composition,
      claimRef: objectRef,
      resourceRefs: { type: 'array', items: objectRef },
      environmentConfigRefs: { type: 'array', items: { type: 'object' } },
      writeConnectionSecretToRef: secretRef(true),
      publishConnectionDetailsTo: publishTo,
    };
  }
  return {
    crossplane: {
      type: 'object',
      properties: {
        ...composition,
        resourceRefs: { type: 'array', items: objectRef },
      },
      additionalProperties: false,
    },
  };
}
