import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CrossplaneCompositionChoices,
  CrossplaneNamespaceChoices,
  crossplaneCreatePermission,
  DEFAULT_NAMESPACE_POLICY,
  isNamespacedTarget,
  isNamespaceWritable,
  NamespacePolicy,
  resolveXrdTarget,
  resolveXrdVersion,
  splitApiVersion,
  targetTypeMeta,
} from '@platformops/plugin-crossplane-common';
import {
  compositionsOf,
  CrossplaneClusters,
  findXrd,
} from '@platformops/plugin-crossplane-node';
import { ObjectAuthorizer } from './ObjectAuthorizer';
import { PermissionSubjects } from './PermissionSubjects';

/** Which XRD of which cluster a generated form creates from. */
export interface CreateChoicesRequest {
  cluster: string;
  /** The XRD's name, `<plural>.<group>`. */
  xrd: string;
}

/**
 * What a generated form offers to choose from, read live from the cluster:
 * the namespaces where the caller may create an XRD's claim or XR (the
 * namespace policy's and the create permission's verdict, each asked as
 * the create itself asks it), and the Compositions of its composite type.
 */
export class CreateChoices {
  readonly #clusters: CrossplaneClusters;
  readonly #authorizer: ObjectAuthorizer;
  readonly #subjects: PermissionSubjects;
  readonly #policy: NamespacePolicy;

  constructor(options: {
    clusters: CrossplaneClusters;
    authorizer: ObjectAuthorizer;
    subjects: PermissionSubjects;
    /** Namespaces the portal may write; default: the built-in policy. */
    namespaces?: NamespacePolicy;
  }) {
    this.#clusters = options.clusters;
    this.#authorizer = options.authorizer;
    this.#subjects = options.subjects;
    this.#policy = options.namespaces ?? DEFAULT_NAMESPACE_POLICY;
  }

  /**
   * The namespaces of the cluster that the policy lets the portal write
   * and where the caller may create the XRD's claim (or namespaced XR):
   * one decision on `crossplane.resource.create`, its conditions applied
   * to each namespace as to a new object there.
   */
  async namespaces(
    request: CreateChoicesRequest,
    credentials: BackstageCredentials,
  ): Promise<CrossplaneNamespaceChoices> {
    const client = this.#clusters.get(request.cluster);
    const xrd = await findXrd(client, { xrd: request.xrd });
    const target = resolveXrdTarget(xrd);
    const { apiVersion, kind } = targetTypeMeta(
      xrd,
      target,
      resolveXrdVersion(xrd).name,
    );
    const answer = { cluster: client.name, xrd: xrd.name, kind };
    if (!isNamespacedTarget(xrd, target)) {
      return { ...answer, namespaced: false, items: [] };
    }
    const visible = await this.#authorizer.visibility(
      credentials,
      crossplaneCreatePermission,
    );
    const { group, version } = splitApiVersion(apiVersion);
    const { items } = await client.list('v1', 'Namespace');
    const namespaces = items
      .filter(ns => !ns.metadata.deletionTimestamp)
      .map(ns => ns.metadata.name)
      .filter(
        namespace =>
          isNamespaceWritable(namespace, this.#policy) &&
          visible(
            this.#subjects.ofNew({
              cluster: client.name,
              group,
              version,
              kind,
              namespace,
              name: '',
            }),
          ),
      )
      .sort();
    return { ...answer, namespaced: true, items: namespaces };
  }

  /**
   * The Compositions whose `compositeTypeRef` is the XRD's composite type,
   * the XRD's default marked; only the enforced one where it enforces one.
   */
  async compositions(
    request: CreateChoicesRequest,
  ): Promise<CrossplaneCompositionChoices> {
    const client = this.#clusters.get(request.cluster);
    const xrd = await findXrd(client, { xrd: request.xrd });
    const enforced = xrd.enforcedCompositionRef?.name;
    const choices = (await compositionsOf(client, xrd))
      .filter(composition => !enforced || composition.name === enforced)
      .map(composition => ({
        name: composition.name,
        labels: composition.labels ?? {},
        default: composition.name === xrd.defaultCompositionRef?.name,
      }));
    return {
      cluster: client.name,
      xrd: xrd.name,
      ...(enforced ? { enforced } : {}),
      items: choices,
    };
  }
}
