import { parseAllDocuments } from 'yaml';
import { toYaml } from '../render/yaml';
import { REDACTED_VALUE } from './constants';
import { isSensitiveKey } from './sensitiveKeys';

/** Texts up to this size that look like JSON or YAML are parsed and redacted field by field. */
const MAX_DOCUMENT_LENGTH = 256 * 1024;

/** A PEM private key block (RSA, EC, OpenSSH, PKCS#8, PGP...); an unterminated one runs to the end. */
const PRIVATE_KEY_BLOCK =
  /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)/g;
/** The password of a URL: `postgres://admin:pw@host`. Bounded, so it stays linear. */
const URL_PASSWORD =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:@/]{1,256}:)([^\s@/]{1,1024})@/g;
/** An HTTP credential: `Authorization: Bearer ...`. */
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)[A-Za-z0-9._~+/=-]{8,}/g;
/** `key: value` or `KEY=value` at the start of a line (YAML, env files, .properties). */
const LINE_PAIR =
  /^([ \t]*(?:-[ \t]+)?(?:export[ \t]+)?)(["']?)([A-Za-z0-9_.\-/]{1,256})\2([ \t]*[:=])(.*)$/;
/**
 * The key and separator of a `key: value`, `key=value` or `"key": "value"`
 * pair anywhere in a line (query strings, connection strings, flow
 * mappings, arguments). A key starts at a word boundary and is bounded, so
 * the scan stays linear; the value is measured only for sensitive keys.
 */
const INLINE_PAIR =
  /(?<![A-Za-z0-9_.\-/])(["']?)([A-Za-z0-9_.\-/]{1,256})\1([ \t]{0,8}[:=][ \t]{0,8})/g;
/** What ends an unquoted inline value. */
const VALUE_END = /[\s,;&"'}\]]/;
/** A line of YAML that starts a mapping entry: the mark of a YAML document. */
const YAML_ENTRY =
  /^[ \t]*(?:-[ \t]+)?["']?[A-Za-z0-9_.\-/]+["']?:(?:[ \t]|$)/m;
const BLOCK_SCALAR = /^[|>][-+0-9]*[ \t]*(#.*)?$/;

/** Redacts a value of some structure; given by the caller, which walks objects. */
export type RedactDocument = (document: unknown) => unknown;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The value of a `key: value` line with its secret replaced, keeping quotes and what follows them. */
function redactLineValue(value: string): string {
  const space = value.slice(0, value.length - value.trimStart().length);
  const text = value.trim();
  const quote = text.charAt(0);
  if (quote === '"' || quote === "'") {
    for (let i = 1; i < text.length; i++) {
      if (quote === '"' && text[i] === '\\') i++;
      else if (text[i] === quote) {
        return `${space}${quote}${REDACTED_VALUE}${quote}${text.slice(i + 1)}`;
      }
    }
  }
  return `${space}${REDACTED_VALUE}`;
}

/** A quoted or plain scalar without its quotes. */
function unquote(value: string): string {
  const text = value.trim();
  const q = text.charAt(0);
  return (q === '"' || q === "'") && text.endsWith(q) && text.length > 1
    ? text.slice(1, -1)
    : text;
}

/**
 * Line by line: a sensitive `key: value` loses its value; a sensitive key
 * that opens a block (`password: |`, `credentials:` followed by indented
 * lines or list items) loses the whole block; `value:` after
 * `name: DB_PASSWORD` in the same list item loses its value.
 */
function redactLines(text: string): string {
  const out: string[] = [];
  let blockIndent = -1;
  let secretValueColumn = -1;
  for (const line of text.split('\n')) {
    if (blockIndent >= 0) {
      const indent = indentOf(line);
      const listItem =
        indent === blockIndent && line.trimStart().startsWith('-');
      if (line.trim() === '' || indent > blockIndent || listItem) continue;
      blockIndent = -1;
    }
    const m = LINE_PAIR.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const [, lead, quote, key, separator, value] = m;
    const head = `${lead}${quote}${key}${quote}${separator}`;
    if (indentOf(line) < secretValueColumn - 2) secretValueColumn = -1;
    if (key === 'name') {
      secretValueColumn = isSensitiveKey(unquote(value)) ? lead.length : -1;
      out.push(line);
    } else if (key === 'value' && lead.length === secretValueColumn) {
      secretValueColumn = -1;
      out.push(`${head}${redactLineValue(value)}`);
    } else if (!isSensitiveKey(key)) {
      out.push(line);
    } else if (
      separator.endsWith(':') &&
      (value.trim() === '' || BLOCK_SCALAR.test(value.trim()))
    ) {
      blockIndent = indentOf(line);
      out.push(`${head} ${REDACTED_VALUE}`);
    } else {
      out.push(`${head}${redactLineValue(value)}`);
    }
  }
  return out.join('\n');
}

/** Where a value that starts at `start` ends: after its closing quote (or at the end of its line), or at the first delimiter. */
function inlineValueEnd(text: string, start: number): number {
  const quote = text.charAt(start);
  let i = start;
  if (quote === '"' || quote === "'") {
    for (i = start + 1; i < text.length && text[i] !== '\n'; i++) {
      if (quote === '"' && text[i] === '\\') i++;
      else if (text[i] === quote) return i + 1;
    }
    return Math.min(i, text.length);
  }
  while (i < text.length && !VALUE_END.test(text[i])) i++;
  return i;
}

function redactInlinePairs(text: string): string {
  const pattern = new RegExp(INLINE_PAIR);
  let out = '';
  let done = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const start = m.index + m[0].length;
    if (!isSensitiveKey(m[2])) continue;
    const end = inlineValueEnd(text, start);
    if (end === start) continue;
    const q = text[start] === '"' || text[start] === "'" ? text[start] : '';
    out += `${text.slice(done, start)}${q}${REDACTED_VALUE}${q}`;
    done = end;
    pattern.lastIndex = end;
  }
  return done === 0 ? text : out + text.slice(done);
}

/** Secrets in the comments of a YAML text, which parsing drops. */
function redactComments(text: string): string {
  if (!text.includes('#')) return text;
  return text
    .split('\n')
    .map(line => {
      const hash = line.indexOf('#');
      return hash < 0
        ? line
        : line.slice(0, hash) + redactInlinePairs(line.slice(hash));
    })
    .join('\n');
}

/**
 * Parses a text that holds JSON or YAML (a kubeconfig, Helm values, an
 * embedded manifest) and redacts it as structure. Returns the text again
 * when nothing in it was secret, the redacted text otherwise, or undefined
 * when it is not such a document.
 */
function redactDocumentText(
  text: string,
  redactDocument: RedactDocument,
): string | undefined {
  if (text.length > MAX_DOCUMENT_LENGTH) return undefined;
  const start = text.trimStart().charAt(0);
  if (start === '{' || start === '[') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return undefined;
    }
    const redacted = redactDocument(parsed);
    if (JSON.stringify(redacted) === JSON.stringify(parsed)) return text;
    return JSON.stringify(redacted, null, text.includes('\n') ? 2 : undefined);
  }
  if (!text.includes('\n') || !YAML_ENTRY.test(text)) return undefined;
  const documents = parseAllDocuments(text, { uniqueKeys: false });
  if (!Array.isArray(documents)) return undefined;
  if (documents.some(d => d.errors.length > 0)) return undefined;
  const values = documents.map(d => d.toJS());
  if (!values.some(v => v !== null && typeof v === 'object')) return undefined;
  const redacted = values.map(redactDocument);
  if (JSON.stringify(redacted) === JSON.stringify(values)) {
    return redactComments(text);
  }
  return redacted.map(v => toYaml(v)).join('---\n');
}

function redactPlainText(text: string): string {
  const out = text
    .replace(PRIVATE_KEY_BLOCK, REDACTED_VALUE)
    .replace(URL_PASSWORD, `$1${REDACTED_VALUE}@`)
    .replace(AUTH_SCHEME, `$1$2${REDACTED_VALUE}`);
  if (!/[:=]/.test(out)) return out;
  return redactInlinePairs(redactLines(out));
}

/**
 * A text with the secrets it holds replaced by {@link REDACTED_VALUE}.
 * JSON or YAML text (a kubeconfig, Helm values, an embedded manifest) is
 * parsed and redacted as structure by the caller's `redactDocument`
 * (Secret data, sensitive fields), then re-serialized if anything was
 * secret; other text loses private key blocks, URL passwords, `Bearer`
 * credentials and the values of sensitive `key: value` / `key=value`
 * pairs. Linear in the text's length; a text that cannot be read safely
 * (e.g. a YAML alias bomb) is redacted whole.
 */
export function redactText(
  text: string,
  redactDocument: RedactDocument,
): string {
  try {
    const document = redactDocumentText(text, redactDocument);
    return document ?? redactPlainText(text);
  } catch {
    return REDACTED_VALUE;
  }
}
