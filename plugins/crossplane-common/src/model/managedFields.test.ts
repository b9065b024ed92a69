import { fieldOwnersOf, fieldsV1Paths } from './managedFields';

const object = {
  apiVersion: 'storage.example.org/v1alpha1',
  kind: 'Bucket',
  metadata: {
    name: 'logs',
    managedFields: [
      {
        manager: 'platformops',
        operation: 'Apply',
        time: '2026-12-05T10:00:00Z',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:team': {} } },
          'f:spec': {
            'f:parameters': {
              '.': {},
              'f:size': {},
              'f:tags': { 'v:"a"': {} },
            },
          },
        },
      },
      {
        manager: 'kubectl',
        operation: 'Update',
        fieldsV1: {
          'f:spec': {
            'f:parameters': {
              'f:rules': { 'k:{"name":"web"}': { '.': {}, 'f:port': {} } },
              'f:zones': { 'i:0': {} },
            },
          },
        },
      },
      {
        manager: 'crossplane',
        operation: 'Update',
        subresource: 'status',
        fieldsV1: { 'f:status': { 'f:conditions': {} } },
      },
    ],
  },
};

describe('managed fields', () => {
  it('reads fieldsV1 as dotted paths of the innermost fields', () => {
    expect(fieldsV1Paths(object.metadata.managedFields[1].fieldsV1)).toEqual([
      'spec.parameters.rules[name=web].port',
      'spec.parameters.zones[0]',
    ]);
    expect(fieldsV1Paths(undefined)).toEqual([]);
  });

  it('names who owns what, under the paths asked for', () => {
    expect(fieldOwnersOf(object, { under: ['spec.parameters'] })).toEqual([
      {
        manager: 'platformops',
        operation: 'Apply',
        time: '2026-12-05T10:00:00Z',
        fields: ['spec.parameters.size', 'spec.parameters.tags["a"]'],
      },
      {
        manager: 'kubectl',
        operation: 'Update',
        fields: [
          'spec.parameters.rules[name=web].port',
          'spec.parameters.zones[0]',
        ],
      },
    ]);
    expect(fieldOwnersOf(object).map(o => o.manager)).toEqual([
      'platformops',
      'kubectl',
      'crossplane',
    ]);
    expect(fieldOwnersOf({ ...object, metadata: { name: 'x' } })).toEqual([]);
  });
});
