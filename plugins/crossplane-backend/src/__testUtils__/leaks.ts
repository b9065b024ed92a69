import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** The repository's root: a server path no answer may show. */
const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** A value to plant (Secrets, annotations): unique per run, never sent. */
export function newCanary(): string {
  return `canary-${randomBytes(12).toString('hex')}`;
}

/**
 * Signs that an answer or a log tells more than it should: the planted
 * canary, a stack trace, a server path.
 */
export function leaksOf(text: string, canary: string): string[] {
  const found: string[] = [];
  if (text.includes(canary)) found.push('the canary');
  if (/\s{4}at /.test(text) || text.includes('\\n    at ')) {
    found.push('a stack trace');
  }
  if (
    text.includes(REPO_ROOT) ||
    text.includes('/work/') ||
    text.includes('node_modules')
  ) {
    found.push('a server path');
  }
  return found;
}

/** A field first in a 400's message: `values.namespace: ...`. */
export const FIELD_FIRST = /^[A-Za-z][\w.[\]"/-]*: /;
