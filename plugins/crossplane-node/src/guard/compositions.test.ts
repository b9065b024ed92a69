import { parseXrd } from '@platformops/plugin-crossplane-common';
import { InMemoryClusterClient, postgresXrd } from '../testUtils';
import { checkCompositionChoice, compositionsOf } from './compositions';

const composition = (name: string, kind: string) => ({
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  metadata: { name },
  spec: {
    compositeTypeRef: { apiVersion: 'database.example.org/v1alpha1', kind },
    mode: 'Pipeline',
    pipeline: [{ step: 'render', functionRef: { name: 'function-x' } }],
  },
});

describe('compositions of an XRD', () => {
  const client = new InMemoryClusterClient('east', [
    postgresXrd,
    composition('postgres-small', 'XPostgreSQLInstance'),
    composition('postgres-large', 'XPostgreSQLInstance'),
    composition('bucket-standard', 'XBucket'),
  ]);
  const xrd = parseXrd(postgresXrd);

  it('are those of its composite type', async () => {
    expect((await compositionsOf(client, xrd)).map(c => c.name)).toEqual([
      'postgres-large',
      'postgres-small',
    ]);
  });

  it("accept only a choice of the XRD's own, naming the field", async () => {
    await expect(
      checkCompositionChoice(client, xrd, 'postgres-large'),
    ).resolves.toBeUndefined();
    await expect(
      checkCompositionChoice(client, xrd, undefined),
    ).resolves.toBeUndefined();
    await expect(
      checkCompositionChoice(
        client,
        xrd,
        'bucket-standard',
        'values.crossplane.compositionRef',
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'values.crossplane.compositionRef: "bucket-standard" is not a Composition of XPostgreSQLInstance in cluster east (its Compositions: postgres-large, postgres-small)',
    });
  });
});
