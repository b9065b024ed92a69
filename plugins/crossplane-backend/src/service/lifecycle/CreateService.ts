import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  apiVersionOf,
  CrossplaneCreatePreview,
  crossplaneCreatePermission,
  describeObjectId,
  isNamespacedTarget,
  NamespacePolicy,
  objectIdKey,
  parseXrd,
  PlatformOpsMetadata,
  redactObject,
  resolveXrdTarget,
  resolveXrdVersion,
  targetTypeMeta,
  TemplateParameters,
  toYaml,
  Xrd,
  xrdToTemplateParameters,
} from '@platformops/plugin-crossplane-common';
import {
  clientForWrites,
  CrossplaneClusters,
  dryRunCreate,
  renderCreate,
  XRD_API_VERSION,
  XRD_KIND,
} from '@platformops/plugin-crossplane-node';
import type { Request } from 'express';
import { ObjectAuthorizer } from '../ObjectAuthorizer';
import { actorOf, FIELD_MANAGER } from './LifecycleService';

/** A create from an XRD's generated form: the cluster, the XRD, its values. */
export interface CreateRequest {
  cluster: string;
  /** The XRD's name, `<plural>.<group>`. */
  xrd: string;
  /** The form's values, keyed as the XRD's generated template keys them. */
  values: Record<string, unknown>;
}

/** What a create did, or with `dryRun` would do. */
export interface CreateResult {
  object: {
    cluster: string;
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  };
  dryRun: boolean;
  /** Whether the object now exists (never on a dry run). */
  created: boolean;
  /** The manifest, as YAML, redacted like the YAML route. */
  manifest: string;
  /** The API server's verdict: its dry run, or the create itself. */
  validation: { ok: boolean; message?: string };
}

/** An XRD a form creates from: what it makes, and the form's fields. */
export interface XrdForm {
  cluster: string;
  xrd: string;
  /** What the form creates: a claim, or a composite where there is none. */
  creates: {
    apiVersion: string;
    kind: string;
    namespaced: boolean;
  };
  description?: string;
  /** The steps of the generated form (JSON Schema), as the portal shows them. */
  form: TemplateParameters;
  /** Every step's fields as one JSON Schema: the shape of `values`. */
  valuesSchema: {
    type: 'object';
    properties: Record<string, unknown>;
    required: string[];
  };
}

/**
 * Creates claims and XRs from their XRD's generated form, on the path the
 * portal's templates take (the same render, XRD schema validation,
 * control-field refusal, write-target guard and namespace policy; see
 * `renderCreate`). The create permission is judged on what the cluster
 * says the object would be (its namespace and kind), as the scaffolder's
 * apply judges it; every create is recorded with the auditor, dry runs and
 * refused ones too.
 */
export class CreateService {
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #auditor: AuditorService;
  readonly #catalog?: CatalogService;
  readonly #namespaces?: NamespacePolicy;

  constructor(options: {
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    auditor: AuditorService;
    /** Where an owner given in the values is looked up; without it, it is not. */
    catalog?: CatalogService;
    /** Namespaces the portal may write; default: the built-in policy. */
    namespaces?: NamespacePolicy;
  }) {
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#auditor = options.auditor;
    this.#catalog = options.catalog;
    this.#namespaces = options.namespaces;
  }

  /**
   * The XRDs of the named clusters (default: all) with their generated
   * forms, as the catalog's templates offer them. An XRD the form code
   * cannot read is left out, as the catalog leaves it out.
   */
  async forms(clusters?: string[]): Promise<XrdForm[]> {
    const clients = clusters
      ? clusters.map(name => this.#clusters.get(name))
      : this.#clusters.list();
    const forms = await Promise.all(
      clients.map(async client => {
        const { items } = await client.list(XRD_API_VERSION, XRD_KIND);
        return items.flatMap(object => {
          try {
            return [formOf(client.name, parseXrd(object))];
          } catch {
            return [];
          }
        });
      }),
    );
    return forms.flat();
  }

  /**
   * The manifest a generated form's render step makes of its values, and
   * the API server's dry run of creating it, for the form's review step.
   */
  async preview(
    request: CreateRequest,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneCreatePreview> {
    // Before the XRD is read: which XRDs exist is not for a caller who
    // may create nothing.
    await this.#authorizer.authorizeAny(
      credentials,
      crossplaneCreatePermission,
    );
    const client = this.#clusters.get(request.cluster);
    const { manifest, target } = await renderCreate({
      client,
      xrd: request.xrd,
      values: request.values,
      defaultOwner: actorOf(credentials) || undefined,
      namespaces: this.#namespaces,
    });
    await this.#authorizer.authorize(
      credentials,
      crossplaneCreatePermission,
      target.id,
    );
    return dryRunCreate(client, manifest, FIELD_MANAGER);
  }

  /**
   * Creates (or with `dryRun`, has the API server check) the object the
   * form's values render. An object of that name that exists already is
   * refused, not changed: changes are edits, asked as such.
   */
  async create(
    request: CreateRequest,
    credentials: BackstageCredentials,
    options: { dryRun?: boolean; request?: Request } = {},
  ): Promise<CreateResult> {
    const dryRun = options.dryRun ?? false;
    const actor = actorOf(credentials);
    const audit = (meta: Record<string, unknown>) =>
      this.#auditor.createEvent({
        eventId: 'create',
        severityLevel: dryRun ? 'low' : 'medium',
        request: options.request,
        meta: { action: 'create', actor, dryRun, ...meta },
      });
    const client = this.#clusters.get(request.cluster);

    // Rendering reads the XRD and changes nothing; what it (or the
    // permission asked before it) refuses is audited without an object, as
    // there is none yet.
    let rendered;
    try {
      // Asked first, as the preview asks it.
      await this.#authorizer.authorizeAny(
        credentials,
        crossplaneCreatePermission,
      );
      rendered = await renderCreate({
        client,
        xrd: request.xrd,
        values: request.values,
        defaultOwner: actor || undefined,
        namespaces: this.#namespaces,
      });
    } catch (error) {
      const event = await audit({
        object: `${request.xrd} in cluster ${client.name}`,
      });
      await event.fail({ error: error as Error });
      throw error;
    }

    const { manifest, target } = rendered;
    const { id } = target;
    const event = await audit({
      object: describeObjectId(id),
      objectKey: objectIdKey(id),
    });
    try {
      await this.#authorizer.authorize(
        credentials,
        crossplaneCreatePermission,
        id,
      );
      await this.#checkOwner(request.values, manifest.metadata, credentials);
      // The signed-in user's token where the cluster takes it (401 when
      // the request lacks it): the cluster's RBAC decides too.
      const writer = await clientForWrites(client, options.request?.headers);
      const locator = {
        apiVersion: apiVersionOf(id),
        kind: id.kind,
        namespace: id.namespace,
        name: id.name,
      };
      // Server-side apply would change an existing object in place.
      if (await client.get(locator)) {
        throw new ConflictError(
          `values.name: ${describeObjectId(
            id,
          )} exists already; choose another name, or edit it`,
        );
      }
      let validation: CreateResult['validation'] = { ok: true };
      if (dryRun) {
        ({ validation } = await dryRunCreate(writer, manifest, FIELD_MANAGER));
      } else {
        await writer.apply(manifest, {
          fieldManager: FIELD_MANAGER,
          dryRun: false,
          force: false,
        });
      }
      const result: CreateResult = {
        object: { ...locator, cluster: id.cluster },
        dryRun,
        created: !dryRun,
        manifest: toYaml(redactObject(manifest)),
        validation,
      };
      await event.success({ meta: { validation: validation.ok } });
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * An owner given in the values must be a user or group the caller sees
   * in the catalog, as the render action requires; the default owner, the
   * caller, comes from their sign-in.
   */
  async #checkOwner(
    values: Record<string, unknown>,
    metadata: { annotations?: Record<string, string> },
    credentials: BackstageCredentials,
  ) {
    const given = values.owner;
    if (!this.#catalog || given === undefined || given === null || given === '')
      return;
    const owner = metadata.annotations?.[PlatformOpsMetadata.ownerAnnotation];
    if (!owner) return;
    const entity = await this.#catalog.getEntityByRef(owner, { credentials });
    if (!entity) {
      throw new InputError(
        `values.owner: ${JSON.stringify(
          owner,
        )} is not an entity in the catalog`,
      );
    }
  }
}

/** The generated form of an XRD, with its fields as one JSON Schema. */
function formOf(cluster: string, xrd: Xrd): XrdForm {
  const target = resolveXrdTarget(xrd);
  const version = resolveXrdVersion(xrd);
  const { apiVersion, kind } = targetTypeMeta(xrd, target, version.name);
  const form = xrdToTemplateParameters(xrd);
  const description = xrd.annotations?.['platformops.io/description'];
  return {
    cluster,
    xrd: xrd.name,
    creates: {
      apiVersion,
      kind,
      namespaced: isNamespacedTarget(xrd, target),
    },
    ...(description ? { description } : {}),
    form,
    valuesSchema: {
      type: 'object',
      properties: Object.assign({}, ...form.map(step => step.properties)),
      required: form.flatMap(step => step.required ?? []),
    },
  };
}
