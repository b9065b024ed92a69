/**
 * One problem with a manifest: the path of the field (`spec.parameters.size`,
 * `spec.disks[0].sizeGb`, `metadata.name`; empty for the whole object) and
 * the reason.
 *
 * @public
 */
export interface ValidationIssue {
  path: string;
  message: string;
  /** `path: message` (just the message for the whole object). */
  toString(): string;
}

/**
 * Options of {@link validateManifest}.
 *
 * @public
 */
export interface ValidateManifestOptions {
  /** The XRD version to validate against; defaults to the manifest's own, else the referenceable one. */
  version?: string;
}

/**
 * What {@link checkManifest} finds: `errors` the API server would reject
 * the manifest for, and `warnings` about what it would do differently from
 * what the manifest says (a namespace it ignores or supplies).
 *
 * @public
 */
export interface ManifestCheck {
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}
