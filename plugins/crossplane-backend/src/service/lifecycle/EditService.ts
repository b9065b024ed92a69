import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  apiVersionOf,
  CrossplaneEditForm,
  CrossplaneEditResult,
  CrossplaneObjectId,
  crossplaneUpdatePermission,
  describeObjectId,
  NamespacePolicy,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  editFormOf,
  editObject,
  resolveEditTarget,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { actorOf, FIELD_MANAGER } from './LifecycleService';

function inputOf(id: CrossplaneObjectId) {
  return {
    apiVersion: apiVersionOf(id),
    kind: id.kind,
    namespace: id.namespace,
    name: id.name,
  };
}

/**
 * Edits of claims and XRs from their XRD's form. The update permission is asked on the object before it is looked up, so a hidden
 * object and a missing one answer alike; what the object is comes from
 * the cluster; every edit is recorded with the auditor, dry runs and
 * refused ones too.
 */
export class EditService {
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #namespaces?: NamespacePolicy;

  constructor(options: {
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
    /** Namespaces the portal may write; default: the built-in policy. */
    namespaces?: NamespacePolicy;
  }) {
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
    this.#namespaces = options.namespaces;
  }

  /** The edit form of an object: only for who may change it. */
  async form(
    id: CrossplaneObjectId,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneEditForm> {
    await this.#authorizer.authorize(
      credentials,
      crossplaneUpdatePermission,
      id,
    );
    const client = this.#clusters.get(id.cluster);
    const target = await resolveEditTarget(client, inputOf(id), {
      namespaces: this.#namespaces,
    });
    return editFormOf(target);
  }

  /** Previews (dry run) or makes an edit; see `editObject`. */
  async edit(
    id: CrossplaneObjectId,
    values: Record<string, unknown>,
    credentials: BackstageCredentials,
    options: { dryRun?: boolean; takeOver?: string[]; request?: Request } = {},
  ): Promise<CrossplaneEditResult> {
    const dryRun = options.dryRun ?? false;
    const event = await this.#auditor.createEvent({
      eventId: 'edit',
      severityLevel: dryRun ? 'low' : 'medium',
      request: options.request,
      meta: {
        action: 'edit',
        object: describeObjectId(id),
        objectKey: objectIdKey(id),
        actor: actorOf(credentials),
        dryRun,
        ...(options.takeOver?.length ? { takeOver: options.takeOver } : {}),
      },
    });
    try {
      // Asked before the lookup: a hidden object and a missing one alike.
      await this.#authorizer.authorize(
        credentials,
        crossplaneUpdatePermission,
        id,
      );
      const client = this.#clusters.get(id.cluster);
      const target = await resolveEditTarget(client, inputOf(id), {
        namespaces: this.#namespaces,
      });
      const result = await editObject({
        client: await clientForWrites(client, options.request?.headers),
        target,
        values,
        fieldManager: FIELD_MANAGER,
        dryRun,
        takeOver: options.takeOver,
        namespaces: this.#namespaces,
      });
      await event.success({
        meta: {
          changed: result.changed,
          applied: result.applied,
          conflicts: result.conflicts.map(c => `${c.field} (${c.manager})`),
          ...(result.gitOps ? { gitOps: result.gitOps.description } : {}),
        },
      });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }
}
