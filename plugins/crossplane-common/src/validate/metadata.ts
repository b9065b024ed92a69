import {
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  labelValueProblem,
  qualifiedNameProblem,
} from '../model/names';
import { isRecord, joinPath } from '../model/util';
import { ValidationIssue, describeValue, validationIssue } from './issues';

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/**
 * Checks `metadata` as the API server does for a custom resource, plus
 * Crossplane's own constraint: claim and composite names end up in label
 * values, so they must be at most 63 characters.
 */
export function validateMetadata(
  metadata: unknown,
  namespaced: boolean,
  kind: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isRecord(metadata)) {
    issues.push(validationIssue('metadata', 'is required', 'required'));
    return issues;
  }
  const { name, generateName, namespace, labels, annotations } = metadata;
  if (name === undefined && typeof generateName !== 'string') {
    issues.push(validationIssue('metadata.name', 'is required', 'required'));
  } else if (name !== undefined) {
    if (typeof name !== 'string') {
      issues.push(
        validationIssue(
          'metadata.name',
          `must be a string (got ${describeValue(name)})`,
          'type',
        ),
      );
    } else {
      const problem =
        dns1123SubdomainProblem(name) ?? dns1123LabelProblem(name);
      if (problem) {
        const why =
          name.length > 63 && !dns1123SubdomainProblem(name)
            ? `${problem}: Crossplane writes the name of a ${kind} into label values`
            : problem;
        issues.push(validationIssue('metadata.name', why, 'name'));
      }
    }
  }
  if (namespaced) {
    if (namespace === undefined || namespace === '') {
      issues.push(
        validationIssue(
          'metadata.namespace',
          `is required: a ${kind} is namespaced`,
          'required',
        ),
      );
    } else if (typeof namespace !== 'string') {
      issues.push(
        validationIssue(
          'metadata.namespace',
          `must be a string (got ${describeValue(namespace)})`,
          'type',
        ),
      );
    } else {
      const problem = dns1123LabelProblem(namespace);
      if (problem)
        issues.push(validationIssue('metadata.namespace', problem, 'name'));
    }
  } else if (namespace !== undefined && namespace !== '') {
    issues.push(
      validationIssue(
        'metadata.namespace',
        `must not be set: a ${kind} is cluster-scoped`,
        'scope',
      ),
    );
  }
  for (const [field, map] of [
    ['labels', labels],
    ['annotations', annotations],
  ] as const) {
    if (map === undefined || map === null) continue;
    const base = `metadata.${field}`;
    if (!isRecord(map)) {
      issues.push(validationIssue(base, 'must be a map of strings', 'type'));
      continue;
    }
    let bytes = 0;
    for (const key of Object.keys(map)) {
      const path = joinPath(base, key);
      const keyProblem = qualifiedNameProblem(key);
      if (keyProblem)
        issues.push(validationIssue(path, `key ${keyProblem}`, 'name'));
      const value = map[key];
      if (typeof value !== 'string') {
        issues.push(
          validationIssue(
            path,
            `must be a string (got ${describeValue(value)})`,
            'type',
          ),
        );
        continue;
      }
      bytes += key.length + value.length;
      if (field === 'labels') {
        const problem = labelValueProblem(value);
        if (problem) issues.push(validationIssue(path, problem, 'name'));
      }
    }
    if (field === 'annotations' && bytes > ANNOTATIONS_MAX_BYTES) {
      issues.push(
        validationIssue(base, 'must have at most 256 KiB in total', 'size'),
      );
    }
  }
  return issues;
}
