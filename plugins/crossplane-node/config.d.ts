export interface Config {
  crossplane?: {
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
