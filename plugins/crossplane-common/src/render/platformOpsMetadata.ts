/**
 * Labels and annotations PlatformOps puts on what it renders. Only the
 * product sets them, from validated input: template input may not.
 *
 * @public
 */
export const PlatformOpsMetadata = {
  /** Annotation: the owner's entity ref, e.g. `group:default/team-a`. */
  ownerAnnotation: 'platformops.io/owner',
  /** Label: the owner's entity ref as a label value, e.g. `group.default.team-a`. */
  ownerLabel: 'platformops.io/owner',
  /** Annotation: the entity ref of the template that created the object. */
  templateAnnotation: 'platformops.io/template',
  /**
   * Annotation: the Git repository an object was delivered from by a
   * PlatformOps pull request (its changes go there too).
   */
  sourceRepoAnnotation: 'platformops.io/source-repo',
  /** Annotation: the object's file in that repository. */
  sourcePathAnnotation: 'platformops.io/source-path',
  /**
   * Annotation: the cluster whose object the file declares. A repository
   * may hold the files of several clusters, and a file's object names no
   * cluster: a pull request changes only a file that says it is this
   * cluster's.
   */
  sourceClusterAnnotation: 'platformops.io/source-cluster',
  /** Label: marks objects created through the portal. */
  managedByLabel: 'app.kubernetes.io/managed-by',
  managedByValue: 'platformops',
} as const;
