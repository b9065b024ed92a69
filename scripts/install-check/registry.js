/*
 * A read-only npm registry on 127.0.0.1 that serves the suite's packed
 * tarballs, so the created app installs them with the README's plain
 * `yarn add @platformops/...`, exactly as from the public registry, and their
 * dependencies on one another resolve by version like published packages.
 */
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

/** The package.json inside an npm tarball (`package/package.json`). */
function readPackedManifest(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
}

function packument(entries, baseUrl) {
  const versions = {};
  const time = {};
  for (const { manifest, data } of entries) {
    const file = `${manifest.name.split('/').pop()}-${manifest.version}.tgz`;
    versions[manifest.version] = {
      ...manifest,
      dist: {
        tarball: `${baseUrl}/${manifest.name}/-/${file}`,
        shasum: crypto.createHash('sha1').update(data).digest('hex'),
        integrity: `sha512-${crypto
          .createHash('sha512')
          .update(data)
          .digest('base64')}`,
      },
    };
    time[manifest.version] = new Date().toISOString();
  }
  const latest = entries[entries.length - 1].manifest.version;
  return {
    name: entries[0].manifest.name,
    'dist-tags': { latest },
    versions,
    time,
  };
}

/**
 * Serves the given tarballs; resolves to `{ url, close }` once listening.
 * Every other package name answers 404, so nothing else is shadowed.
 */
async function startRegistry(tarballs) {
  const byName = new Map();
  for (const tarball of tarballs) {
    const manifest = readPackedManifest(tarball);
    const data = fs.readFileSync(tarball);
    const list = byName.get(manifest.name) ?? [];
    list.push({ manifest, data, file: path.basename(tarball) });
    byName.set(manifest.name, list);
  }

  let baseUrl = '';
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const tarballRequest = /^\/(@[^/]+\/[^/]+)\/-\/[^/]+-([^/]+)\.tgz$/.exec(
      url,
    );
    if (tarballRequest) {
      const entry = byName
        .get(tarballRequest[1])
        ?.find(e => e.manifest.version === tarballRequest[2]);
      if (entry) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(entry.data);
        return;
      }
    } else {
      const entries = byName.get(url.slice(1));
      if (entries) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(packument(entries, baseUrl)));
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not_found' }));
  });

  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  return {
    url: baseUrl,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

module.exports = { startRegistry, readPackedManifest };
