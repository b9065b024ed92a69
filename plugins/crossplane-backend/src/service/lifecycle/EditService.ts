import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  apiVersionOf,
  CrossplaneEditForm,
  CrossplaneEditResult,
  CrossplaneObjectId,
  crossplaneUpdatePermission,
  describeObjectId,
  formOwnedManifest,
  NamespacePolicy,
  objectIdKey,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  editFormOf,
  editObject,
  EditTarget,
  renderEdit,
  resolveEditTarget,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { GitOpsFile, GitOpsPullRequests } from '../gitops/GitOpsPullRequests';
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
 * refused ones too. An object delivered through Git (by PlatformOps, Argo
 * CD or Flux) is not written: the edit becomes a pull request on its file.
 */
export class EditService {
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #namespaces?: NamespacePolicy;
  readonly #pullRequests?: GitOpsPullRequests;

  constructor(options: {
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
    /** Namespaces the portal may write; default: the built-in policy. */
    namespaces?: NamespacePolicy;
    /** The pull-request path; without it, Git's objects are refused (409). */
    pullRequests?: GitOpsPullRequests;
  }) {
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
    this.#namespaces = options.namespaces;
    this.#pullRequests = options.pullRequests;
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
      const file = dryRun
        ? undefined
        : await this.#pullRequests?.fileOf(client, target.id, target.object);
      if (file) {
        const result = await this.#proposeEdit(
          file,
          target,
          values,
          credentials,
        );
        await event.success({
          meta: {
            changed: result.changed,
            applied: false,
            ...(result.pullRequest
              ? { pullRequest: result.pullRequest.url }
              : {}),
          },
        });
        return result;
      }
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

  /**
   * The edit of an object Git delivers: previewed as any edit (render,
   * schema, the API server's dry run, diff), then proposed as a pull
   * request on its file. Field managers are the GitOps tool's business:
   * no conflicts are reported, nothing is taken over.
   */
  async #proposeEdit(
    file: GitOpsFile,
    target: EditTarget,
    values: Record<string, unknown>,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneEditResult> {
    const preview = await editObject({
      client: this.#clusters.get(target.id.cluster),
      target,
      values,
      fieldManager: FIELD_MANAGER,
      dryRun: true,
      namespaces: this.#namespaces,
    });
    if (!preview.validation.ok) {
      throw new InputError(`values: ${preview.validation.message}`);
    }
    const result = { ...preview, dryRun: false, conflicts: [] };
    if (!preview.changed) return result;
    const pullRequest = await this.#pullRequests!.proposeEdit(file, {
      before: formOwnedManifest(target.xrd, target.object),
      after: renderEdit(target, values, { namespaces: this.#namespaces }),
      diff: preview.diff,
      actor: actorOf(credentials),
    });
    return { ...result, pullRequest };
  }
}
