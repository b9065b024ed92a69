import type Ajv from 'ajv';
import addFormats from 'ajv-formats';

const GO_DURATION =
  /^\s*([0-9]+(\.[0-9]+)?\s*(ns|us|µs|ms|s|m|h|d|w|y|sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|wk|wks|week|weeks)\s*)+$/;

function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    return (
      n <= 32 && ip.split('.').every(p => Number(p) <= 255 && !/^0\d/.test(p))
    );
  }
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && n <= 128;
}

/**
 * The formats the Kubernetes API server checks in CRD schemas, as ajv
 * formats. Formats it does not check are not registered (and are dropped
 * from the schemas before compiling).
 */
export const KUBERNETES_FORMATS = new Set([
  'date',
  'date-time',
  'datetime',
  'duration',
  'uri',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
  'uuid3',
  'uuid4',
  'uuid5',
  'byte',
  'password',
  'cidr',
  'mac',
  'hexcolor',
  'rgbcolor',
  'bsonobjectid',
]);

export function addKubernetesFormats(ajv: Ajv): void {
  addFormats(ajv, [
    'date',
    'date-time',
    'email',
    'hostname',
    'ipv4',
    'ipv6',
    'uuid',
    'byte',
  ]);
  ajv.addFormat('datetime', ajv.formats['date-time'] as any);
  // The API server parses URIs leniently (Go's url.Parse).
  ajv.addFormat('uri', (s: string) => !/[\s\u0000-\u001f]/.test(s));
  ajv.addFormat('duration', (s: string) => GO_DURATION.test(s));
  ajv.addFormat('password', () => true);
  ajv.addFormat('cidr', isCidr);
  ajv.addFormat('mac', /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/);
  ajv.addFormat(
    'uuid3',
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i,
  );
  ajv.addFormat(
    'uuid4',
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
  );
  ajv.addFormat(
    'uuid5',
    /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i,
  );
  ajv.addFormat('hexcolor', /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/);
  ajv.addFormat(
    'rgbcolor',
    /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/,
  );
  ajv.addFormat('bsonobjectid', /^[0-9a-fA-F]{24}$/);
}
