import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  CrossplaneObjectId,
  CrossplanePermissionSubject,
  describeObjectId,
} from '@platformops/plugin-crossplane-common';
import { PermissionSubjects } from './PermissionSubjects';
import { everyObject, Visibility } from './Visibility';

/**
 * A permission refused on an object, asked before the object is looked up:
 * the request did nothing to the object and learnt nothing of it.
 */
export class ObjectPermissionRefused extends NotAllowedError {}

/**
 * Resource permissions on objects, judged by what the cluster says each
 * object is (see PermissionSubjects): one decision per permission, whose
 * conditions are applied here to the object's subject. Shared by the
 * routes and the lifecycle operations so that both ask the same way.
 */
export class ObjectAuthorizer {
  readonly #permissions: PermissionsService;
  readonly #subjects: PermissionSubjects;
  readonly #isAllowed: (
    decision: PolicyDecision,
    subject: CrossplanePermissionSubject,
  ) => boolean;

  constructor(options: {
    permissions: PermissionsService;
    rules: PermissionRuleset<CrossplanePermissionSubject>;
    subjects: PermissionSubjects;
  }) {
    this.#permissions = options.permissions;
    this.#subjects = options.subjects;
    this.#isAllowed = createConditionAuthorizer(options.rules);
  }

  /** Which subjects the caller may act on with a permission. */
  async visibility(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<Visibility> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return everyObject;
    return subject => this.#isAllowed(decision, subject);
  }

  /** Whether the caller may act on the object with a permission. */
  async allows(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    id: CrossplaneObjectId,
  ): Promise<boolean> {
    const [allowed] = await this.allowsEach(credentials, permission, [id]);
    return allowed;
  }

  /**
   * Whether the caller may act on each object with a permission, in order:
   * one decision, whose conditions are applied to each object's subject
   * (with `departed`, also an object deleted lately, as it was then; see
   * PermissionSubjects).
   */
  async allowsEach(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    ids: CrossplaneObjectId[],
    options: { departed?: boolean } = {},
  ): Promise<boolean[]> {
    const visible = await this.visibility(credentials, permission);
    return ids.map(id => visible(this.#subjects.of(id, options)));
  }

  /**
   * Throws NotAllowedError when the caller may use a permission on no
   * object at all. For a request whose object is only known after a
   * lookup (a create's XRD): asked first, so what the lookup finds tells
   * nothing to a caller refused everywhere.
   */
  async authorizeAny(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<void> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new ObjectPermissionRefused(`${permission.name}: not allowed`);
    }
  }

  /** Throws NotAllowedError unless the caller may act on the object. */
  async authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    id: CrossplaneObjectId,
  ): Promise<void> {
    if (!(await this.allows(credentials, permission, id))) {
      throw new ObjectPermissionRefused(
        `${permission.name}: not allowed for ${describeObjectId(id)}`,
      );
    }
  }
}
