import type { TemplateParameterStep } from '../form/types';
import type { Health } from '../health/types';
import type { ObjectClass } from '../model/types';
import type {
  CrossplaneLifecycleCapability,
  CrossplaneLifecycleObject,
  CrossplaneLifecycleOperation,
  CrossplaneObjectLocator,
} from './types';

/*
 * The JSON of the day-2 routes of the status backend (edit, delete,
 * composition revision upgrades, timeline), shared by the backend that
 * serves it and the frontend that reads it.
 */

/**
 * Every day-2 operation of the portal, each with a permission of its own.
 *
 * @public
 */
export type CrossplaneDay2Operation =
  | CrossplaneLifecycleOperation
  | 'edit'
  | 'delete'
  | 'upgrade';

/**
 * What the caller may do with an object (`GET /capabilities`): one entry
 * per operation, each allowed or refused with the reason the UI shows.
 *
 * @public
 */
export type CrossplaneDay2Capabilities = Record<
  CrossplaneDay2Operation,
  CrossplaneLifecycleCapability
>;

/**
 * How an object is delivered when Git, not the portal, is its source of
 * truth: the portal then never writes it, it proposes a change in Git.
 *
 * @public
 */
export interface CrossplaneGitOpsSource {
  /** Which tool delivers it. */
  tool: 'argocd' | 'flux' | 'platformops';
  /** For people: e.g. `Argo CD application payments`. */
  description: string;
  /** Repository and file, where the object says (PlatformOps' PR path). */
  repoUrl?: string;
  path?: string;
}

/**
 * Who last wrote a set of an object's fields (`metadata.managedFields`).
 *
 * @public
 */
export interface CrossplaneFieldOwner {
  manager: string;
  /** `Apply` or `Update`. */
  operation: string;
  /** When the manager last wrote them (RFC 3339). */
  time?: string;
  /** Dotted paths of the fields it owns, e.g. `spec.parameters.size`. */
  fields: string[];
}

/**
 * The edit form of a claim or XR (`GET /edit`): its XRD's form, prefilled
 * with the live object's values of the fields the form owns.
 *
 * @public
 */
export interface CrossplaneEditForm {
  object: CrossplaneObjectLocator;
  /** The XRD's form steps for the spec (no cluster, name or delivery). */
  steps: TemplateParameterStep[];
  /** The live values, keyed as the form keys them. */
  values: Record<string, unknown>;
  fieldOwners: CrossplaneFieldOwner[];
  /** Set when Git is the source of truth: the edit becomes a change there. */
  gitOps?: CrossplaneGitOpsSource;
}

/**
 * The body of `POST /edit`: the object, the form's new values, and whether
 * only to preview.
 *
 * @public
 */
export interface CrossplaneEditRequest extends CrossplaneObjectLocator {
  values: Record<string, unknown>;
  /** Preview only: diff and the API server's dry run; nothing changes. */
  dryRun?: boolean;
  /**
   * Fields (as a preview's `conflicts` name them) the caller takes over
   * from their managers, having seen who owns them. An edit whose
   * conflicts are not all listed here changes nothing (409).
   */
  takeOver?: string[];
}

/**
 * A field the edit would take from another field manager.
 *
 * @public
 */
export interface CrossplaneFieldConflict {
  field: string;
  manager: string;
}

/**
 * What an edit changes, and what it did (`POST /edit`).
 *
 * @public
 */
export interface CrossplaneEditResult {
  object: CrossplaneObjectLocator;
  dryRun: boolean;
  /** The manifest of the fields the form owns, before and after (YAML). */
  before: string;
  after: string;
  /** Unified diff of `before` and `after`; empty when nothing changes. */
  diff: string;
  changed: boolean;
  /** The API server's server-side dry run of the change. */
  validation: { ok: boolean; message?: string };
  /** Fields owned by another manager that the change touches. */
  conflicts: CrossplaneFieldConflict[];
  /** Whether the change was written to the cluster. */
  applied: boolean;
  gitOps?: CrossplaneGitOpsSource;
  /**
   * For an object PlatformOps delivers through Git: the pull request that
   * proposes the change (nothing is written to the cluster).
   */
  pullRequest?: { url: string; number: number; branch: string };
}

/**
 * What a delete removes from the provider and what it keeps.
 *
 * @public
 */
export type CrossplaneDeletionFate = 'deleted' | 'orphaned';

/**
 * One object that goes with a delete.
 *
 * @public
 */
export interface CrossplaneDeletionItem {
  object: CrossplaneLifecycleObject;
  objectClass: ObjectClass;
  /** Managed resources: `spec.deletionPolicy`, default `Delete`. */
  deletionPolicy?: string;
  /** Managed resources: `spec.managementPolicies`, default `["*"]`. */
  managementPolicies?: string[];
  /** Managed resources: whether the external resource goes or is kept. */
  fate?: CrossplaneDeletionFate;
  finalizers?: string[];
  /** Set once the object is being deleted (RFC 3339). */
  deletionTimestamp?: string;
}

/**
 * A Crossplane Usage that blocks (or would block) a deletion.
 *
 * @public
 */
export interface CrossplaneBlockingUsage {
  usage: CrossplaneLifecycleObject;
  /** The object in use. */
  of: CrossplaneLifecycleObject;
  /** The object using it, if the Usage names one. */
  by?: CrossplaneLifecycleObject;
  reason?: string;
}

/**
 * What deleting a claim or XR does, before it is confirmed, and how far it
 * is once started (`GET /deletion`).
 *
 * @public
 */
export interface CrossplaneDeletionImpact {
  object: CrossplaneObjectLocator;
  /** The composed tree that goes, the target first. */
  items: CrossplaneDeletionItem[];
  usages: CrossplaneBlockingUsage[];
  /** Connection Secrets that disappear with it (never their data). */
  connectionSecrets: { namespace?: string; name: string }[];
  /** Catalog entities that depend on it (entity refs). */
  dependents: string[];
  gitOps?: CrossplaneGitOpsSource;
  /**
   * For an object PlatformOps delivers through Git: the pull request that
   * removes its file (the GitOps tool deletes it once merged).
   */
  pullRequest?: { url: string; number: number; branch: string };
  /** Once started: true while anything of the tree is still there. */
  deleting: boolean;
  /** While deleting: what holds it (finalizers, a blocking Usage). */
  heldBy?: string[];
}

/**
 * One object a deletion took with it, once its root is gone
 * (`POST /deletion/progress`).
 *
 * @public
 */
export interface CrossplaneDeletionProgressItem {
  /** The object as it was asked for. */
  object: CrossplaneObjectLocator;
  /** True when it is gone; false while it is there, and when `hidden`. */
  gone: boolean;
  /**
   * True when the caller may not read it: it is not followed, counted
   * neither gone nor still there, whether it exists or not.
   */
  hidden?: boolean;
  /** While it is there: its finalizers, deletion timestamp and fate. */
  item?: CrossplaneDeletionItem;
}

/**
 * How far a deletion is after its root is gone: each object it took with
 * it, gone or still there, and what holds those still there.
 *
 * @public
 */
export interface CrossplaneDeletionProgress {
  /** One per object asked, in the order asked. */
  items: CrossplaneDeletionProgressItem[];
  /** True while any object asked that the caller may read is still there. */
  deleting: boolean;
  /** What holds those still there (finalizers, a blocking Usage). */
  heldBy: string[];
}

/**
 * The body of `POST /delete`: the object and its name typed again.
 *
 * @public
 */
export interface CrossplaneDeleteRequest extends CrossplaneObjectLocator {
  /** Must equal `name`: the typed confirmation. */
  confirm: string;
  dryRun?: boolean;
}

/**
 * An XR (or claim) whose composition revision is behind the latest one of
 * its Composition, with a Manual update policy (`GET /upgrades`).
 *
 * @public
 */
export interface CrossplaneRevisionLag {
  object: CrossplaneObjectLocator;
  objectClass: ObjectClass;
  composition: string;
  currentRevision: string;
  latestRevision: string;
  health: Health;
}

/**
 * What an upgrade did to one object (`POST /upgrade`).
 *
 * @public
 */
export interface CrossplaneUpgradeStep {
  object: CrossplaneObjectLocator;
  from?: string;
  to?: string;
  outcome: 'upgraded' | 'unhealthy' | 'refused' | 'failed' | 'not-run';
  message?: string;
}

/**
 * The body of `POST /upgrade`: objects moved one by one, in order, stopping
 * at the first that turns unhealthy.
 *
 * @public
 */
export interface CrossplaneUpgradeRequest {
  objects: CrossplaneObjectLocator[];
  dryRun?: boolean;
}

/**
 * One entry of an object's timeline (`GET /timeline`), newest first.
 *
 * @public
 */
export interface CrossplaneTimelineEntry {
  /** RFC 3339. */
  time: string;
  source: 'audit' | 'event' | 'field-manager';
  /** Audit: the user; event: the reporting controller; fields: the manager. */
  actor?: string;
  summary: string;
  /** Audit: succeeded or failed; event: Normal or Warning. */
  outcome?: string;
}

/**
 * The exact manifest a create would apply and the API server's dry run of
 * it (`POST /create-preview`), for the review step of a generated form.
 *
 * @public
 */
export interface CrossplaneCreatePreview {
  manifest: string;
  validation: { ok: boolean; message?: string };
}
