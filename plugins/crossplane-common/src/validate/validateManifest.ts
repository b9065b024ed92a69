import { CrossplaneModelError } from '../model/errors';
import { OpenAPISchema } from '../model/schema';
import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from '../model/names';
import {
  hasOwn,
  isRecord,
  joinPath,
  setOwn,
  splitApiVersion,
} from '../model/util';
import {
  Xrd,
  XrdTarget,
  XrdVersion,
  isNamespacedTarget,
  referenceableVersion,
} from '../model/xrd';
import { ValidateFunction, compileSchema } from './ajv';
import { crossplaneSpecProperties } from './crossplaneSchemas';
import { ajvErrorsToIssues } from './messages';
import { JsonSchema, toJsonSchema } from './toJsonSchema';
import {
  ManifestCheck,
  ValidateManifestOptions,
  ValidationIssue,
} from './types';

function issueToString(this: ValidationIssue): string {
  return this.path ? `${this.path}: ${this.message}` : this.message;
}

/** Gives each issue its `path: message` string form (not enumerable). */
function withToString(
  issues: Omit<ValidationIssue, 'toString'>[],
): ValidationIssue[] {
  for (const issue of issues) {
    Object.defineProperty(issue, 'toString', {
      value: issueToString,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  return issues as ValidationIssue[];
}

/**
 * A copy of plain JSON data for ajv to default and check (anything else is
 * kept as is, for ajv to reject). Like the API server, it prunes `null`
 * values of fields that are not `nullable`, before defaults apply.
 */
function prepareForValidation(
  value: unknown,
  schema: OpenAPISchema | undefined,
  depth = 0,
): unknown {
  if (depth > 200 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return Array.from(value, v =>
      prepareForValidation(v, schema?.items, depth + 1),
    );
  }
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const additional = isRecord(schema?.additionalProperties)
    ? (schema!.additionalProperties as OpenAPISchema)
    : undefined;
  for (const key of Object.keys(value)) {
    const child =
      schema?.properties && hasOwn(schema.properties, key)
        ? schema.properties[key]
        : additional;
    if (value[key] === null && child && child.nullable !== true) continue;
    setOwn(out, key, prepareForValidation(value[key], child, depth + 1));
  }
  return out;
}

const compiled = new WeakMap<Xrd, Map<string, ValidateFunction>>();

function specValidator(
  xrd: Xrd,
  version: XrdVersion,
  target: XrdTarget,
): ValidateFunction {
  let byKey = compiled.get(xrd);
  if (!byKey) {
    byKey = new Map();
    compiled.set(xrd, byKey);
  }
  const key = `${version.name}|${target}`;
  let validate = byKey.get(key);
  if (!validate) {
    const specSchema = version.schema?.properties?.spec;
    const schema: JsonSchema = specSchema
      ? toJsonSchema(specSchema)
      : { type: 'object' };
    if (schema.type === undefined) schema.type = 'object';
    const machinery = crossplaneSpecProperties(xrd, target);
    const props = isRecord(schema.properties) ? { ...schema.properties } : {};
    for (const name of Object.keys(machinery)) {
      if (!hasOwn(props, name)) props[name] = machinery[name];
    }
    schema.properties = props;
    try {
      validate = compileSchema(schema);
    } catch (e) {
      throw new CrossplaneModelError(
        `spec.versions[${xrd.versions.indexOf(
          version,
        )}].schema.openAPIV3Schema`,
        `cannot be compiled: ${(e as Error).message}`,
        { cause: e },
      );
    }
    byKey.set(key, validate);
  }
  return validate;
}

function checkStringMap(
  value: unknown,
  field: string,
  labels: boolean,
  issues: ValidationIssue[],
) {
  if (value === undefined) return;
  if (!isRecord(value)) {
    issues.push({ path: field, message: 'must be a map of strings' });
    return;
  }
  for (const key of Object.keys(value)) {
    const path = joinPath(field, key);
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) issues.push({ path, message: `key ${keyProblem}` });
    const v = value[key];
    if (typeof v !== 'string') {
      issues.push({ path, message: `must be a string (got ${typeof v})` });
    } else if (labels) {
      const problem = labelValueProblem(v);
      if (problem) issues.push({ path, message: problem });
    }
  }
}

/** The namespace: the API server clears it on cluster-scoped kinds and supplies the request's on namespaced ones. */
function checkNamespace(
  namespace: unknown,
  kind: string,
  namespaced: boolean,
  issues: ValidationIssue[],
  warnings: ValidationIssue[],
) {
  const path = 'metadata.namespace';
  const unset = namespace === undefined || namespace === '';
  if (!namespaced) {
    if (!unset) {
      warnings.push({
        path,
        message: `is ignored: ${kind} is cluster-scoped, so the API server clears it`,
      });
    }
  } else if (unset) {
    warnings.push({
      path,
      message: `is not set: ${kind} is namespaced, so it goes to the namespace of the request (kubectl: the context's namespace, else default)`,
    });
  } else if (typeof namespace !== 'string') {
    issues.push({ path, message: 'must be a string' });
  } else {
    const problem = dns1123LabelProblem(namespace);
    if (problem) issues.push({ path, message: problem });
  }
}

function checkMetadata(
  metadata: unknown,
  xrd: Xrd,
  target: XrdTarget,
  issues: ValidationIssue[],
  warnings: ValidationIssue[],
) {
  if (!isRecord(metadata)) {
    issues.push({ path: 'metadata', message: 'is required' });
    return;
  }
  if (typeof metadata.name === 'string') {
    // Crossplane copies claim and composite names into label values.
    const problem =
      dns1123SubdomainProblem(metadata.name) ??
      (metadata.name.length > 63
        ? `must be no more than 63 characters (got ${metadata.name.length})`
        : undefined);
    if (problem) issues.push({ path: 'metadata.name', message: problem });
  } else if (
    metadata.name !== undefined ||
    typeof metadata.generateName !== 'string'
  ) {
    issues.push({
      path: 'metadata.name',
      message: metadata.name === undefined ? 'is required' : 'must be a string',
    });
  }
  const kind = target === 'claim' ? xrd.claimNames!.kind : xrd.names.kind;
  checkNamespace(
    metadata.namespace,
    kind,
    isNamespacedTarget(xrd, target),
    issues,
    warnings,
  );
  checkStringMap(metadata.labels, 'metadata.labels', true, issues);
  checkStringMap(metadata.annotations, 'metadata.annotations', false, issues);
}

/**
 * Checks a claim or composite manifest against its XRD as the API server
 * would with strict field validation: apiVersion (a served version of the
 * XRD's group) and kind (the composite's or the claim's), metadata (a
 * DNS-1123 name, valid labels and annotations, a valid namespace), and the
 * spec against the version's schema with ajv (types, required fields,
 * enums, formats, patterns, bounds, unknown fields), Crossplane's own spec
 * fields included. Errors are what the API server would reject; warnings
 * say what it would do that the manifest does not: clear the namespace of
 * a cluster-scoped kind, or supply one for a namespaced kind that has none.
 *
 * Throws {@link CrossplaneModelError} only when the XRD itself is unusable
 * (a schema that cannot be compiled, an unknown version).
 *
 * @public
 */
export function checkManifest(
  manifest: unknown,
  xrd: Xrd,
  options: ValidateManifestOptions = {},
): ManifestCheck {
  if (!isRecord(xrd) || !Array.isArray(xrd.versions)) {
    throw new CrossplaneModelError(
      'xrd',
      'must be a parsed XRD (see parseXrd)',
    );
  }
  const issues: ValidationIssue[] = [];
  const warnings: ValidationIssue[] = [];
  if (!isRecord(manifest)) {
    return {
      errors: withToString([{ path: '', message: 'must be an object' }]),
      warnings,
    };
  }

  // apiVersion and version.
  let version: XrdVersion | undefined;
  if (options.version !== undefined) {
    version = xrd.versions.find(v => v.name === options.version);
    if (!version) {
      throw new CrossplaneModelError(
        'version',
        `${xrd.name} has no version ${options.version}`,
      );
    }
  }
  if (typeof manifest.apiVersion !== 'string') {
    issues.push({ path: 'apiVersion', message: 'is required' });
  } else {
    const { group, version: v } = splitApiVersion(manifest.apiVersion);
    if (group !== xrd.group) {
      issues.push({
        path: 'apiVersion',
        message: `must be in group ${xrd.group} (got ${JSON.stringify(
          manifest.apiVersion,
        )})`,
      });
    } else {
      const declared = xrd.versions.find(x => x.name === v);
      if (!declared || !declared.served) {
        issues.push({
          path: 'apiVersion',
          message: `version ${v} is not served by ${
            xrd.name
          } (served: ${xrd.versions
            .filter(x => x.served)
            .map(x => x.name)
            .join(', ')})`,
        });
      } else if (version && version.name !== v) {
        issues.push({
          path: 'apiVersion',
          message: `must be ${xrd.group}/${version.name} (got ${manifest.apiVersion})`,
        });
      } else if (!version) {
        version = declared;
      }
    }
  }
  version ??= referenceableVersion(xrd);

  // kind and target.
  let target: XrdTarget = xrd.claimNames ? 'claim' : 'composite';
  if (manifest.kind === xrd.names.kind) target = 'composite';
  else if (xrd.claimNames && manifest.kind === xrd.claimNames.kind)
    target = 'claim';
  else {
    const kinds = [
      xrd.names.kind,
      ...(xrd.claimNames ? [xrd.claimNames.kind] : []),
    ];
    issues.push({
      path: 'kind',
      message: `must be ${kinds.join(' or ')} (got ${
        JSON.stringify(manifest.kind) ?? 'nothing'
      })`,
    });
  }

  checkMetadata(manifest.metadata, xrd, target, issues, warnings);

  // Top-level fields.
  const rootSchema = version.schema;
  const rootProps = rootSchema?.properties ?? {};
  for (const key of Object.keys(manifest)) {
    if (['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(key))
      continue;
    if (hasOwn(rootProps, key)) continue;
    if (rootSchema?.['x-kubernetes-preserve-unknown-fields'] === true) continue;
    issues.push({ path: joinPath('', key), message: 'unknown field' });
  }

  // spec.
  const specRequired =
    (rootSchema?.required ?? []).includes('spec') ||
    (rootSchema?.properties?.spec?.required?.length ?? 0) > 0;
  if (manifest.spec === undefined) {
    if (specRequired) issues.push({ path: 'spec', message: 'is required' });
  } else {
    const validate = specValidator(xrd, version, target);
    // The API server applies the schema's defaults before validating; ajv
    // does so on a copy.
    if (
      !validate(
        prepareForValidation(manifest.spec, version.schema?.properties?.spec),
      )
    ) {
      issues.push(...ajvErrorsToIssues(validate.errors ?? [], 'spec'));
    }
  }
  return { errors: withToString(issues), warnings: withToString(warnings) };
}

/**
 * The errors of {@link checkManifest}: every reason the API server would
 * reject the manifest, empty when it would accept it.
 *
 * @public
 */
export function validateManifest(
  manifest: unknown,
  xrd: Xrd,
  options: ValidateManifestOptions = {},
): ValidationIssue[] {
  return checkManifest(manifest, xrd, options).errors;
}
