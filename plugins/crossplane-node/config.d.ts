export interface Config {
  /** Backstage's kubernetes section; PlatformOps reads its cluster locators. */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /**
       * A `type: gke` locator with `authProvider: google`: the token
       * PlatformOps reads every cluster it lists with (its object cache,
       * the catalog, the status pages); writes carry the signed-in user's
       * Google token.
       * @visibility secret
       */
      serviceAccountToken?: string;
    }>;
  };
  crossplane?: {
    /** How PlatformOps finds clusters besides `kubernetes.clusterLocatorMethods`. */
    clusters?: {
      /**
       * How often every cluster locator is asked again (catalog-located
       * clusters come and go). Default 60 seconds.
       */
      refreshInterval?: {
        milliseconds?: number;
        seconds?: number;
        minutes?: number;
        hours?: number;
      };
      /**
       * Service-account tokens of catalog-located clusters whose
       * `kubernetes.io/auth-provider` is `serviceAccount`: used only for the
       * entity of this name whose `kubernetes.io/api-server` is exactly this
       * URL. A token is never read from an entity.
       */
      catalogServiceAccounts?: Array<{
        /** The entity's `metadata.name`. */
        name: string;
        url: string;
        /** @visibility secret */
        serviceAccountToken: string;
        /** Trusted instead of the entity's CA annotation, when set. */
        caData?: string;
        caFile?: string;
      }>;
    };
    /** The in-memory cache of cluster objects shared by PlatformOps. */
    cache?: {
      /**
       * Also watch Deployments, StatefulSets, Services, Pods, Jobs and
       * CronJobs (a service's roll-up shows them). Default true.
       */
      workloads?: boolean;
      /** Upper bound of cached objects per cluster. Default 250000. */
      maxObjectsPerCluster?: number;
      /** Page size of list requests. Default 500. */
      pageSize?: number;
    };
    /**
     * Namespaces that may receive claims and namespaced composites (and
     * connection Secrets) from the portal. A namespace must match no `deny`
     * pattern and, when `allow` is set, one `allow` pattern. Patterns are
     * exact names or prefixes ending in `*`, e.g. `team-*`.
     */
    namespaces?: {
      /** Only these namespaces. Default: every namespace not denied. */
      allow?: string[];
      /**
       * Never these namespaces; replaces the default list. Default:
       * `kube-*`, `crossplane-system`, `default`.
       */
      deny?: string[];
    };
    /**
     * What the scaffolder actions (and lifecycle operations) may write
     * besides the claims and XRs that the cluster's XRDs offer. Everything
     * else is refused before any request is sent.
     */
    writes?: {
      /** Composites of v1 XRDs and LegacyCluster XRs directly. Default false. */
      composites?: boolean;
      /** Managed resources (Crossplane's `managed` category). Default false. */
      managedResources?: boolean;
      /** Further kinds, by API group and kind. */
      kinds?: Array<{ group: string; kind: string }>;
    };
  };
}
