import path from 'node:path';

// The benchmark runs from source only (never built), so paths are relative
// to this file.
// eslint-disable-next-line no-restricted-syntax
const here = __dirname;

export const REPO_ROOT = path.resolve(here, '../..');
export const BENCH_ROOT = path.resolve(here, '..');
export const BACKEND_ENTRY = path.join(here, 'backend.ts');
