/*
 * The claim the check expects the created app's catalog to ingest: created
 * with the control plane's admin identity before the backend starts, deleted
 * at the end. Its name is unique to the run, as other tests share the
 * control plane.
 */
'use strict';

const https = require('node:https');

function request(cp, method, path, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, cp.url),
      {
        method,
        ca: cp.caPem,
        headers: {
          authorization: `Bearer ${cp.adminToken}`,
          'content-type': 'application/json',
        },
      },
      res => {
        let data = '';
        res.on('data', chunk => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const CLAIMS = '/apis/storage.platformops.io/v1alpha1/namespaces';

/** An ObjectBucket claim (the demo XRD of the local control plane). */
async function createClaim(cp, namespace, name) {
  const res = await request(
    cp,
    'POST',
    `${CLAIMS}/${namespace}/objectbuckets`,
    {
      apiVersion: 'storage.platformops.io/v1alpha1',
      kind: 'ObjectBucket',
      metadata: {
        name,
        namespace,
        labels: { 'platformops.io/test': 'install-check' },
      },
      spec: { parameters: { region: 'eu-west-1', storageClass: 'STANDARD' } },
    },
  );
  if (res.status !== 201) {
    throw new Error(
      `creating claim ${namespace}/${name}: ${res.status} ${res.body}`,
    );
  }
}

async function deleteClaim(cp, namespace, name) {
  const res = await request(
    cp,
    'DELETE',
    `${CLAIMS}/${namespace}/objectbuckets/${name}`,
  );
  if (res.status >= 300 && res.status !== 404) {
    throw new Error(
      `deleting claim ${namespace}/${name}: ${res.status} ${res.body}`,
    );
  }
}

module.exports = { createClaim, deleteClaim };
