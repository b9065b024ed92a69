export interface Config {
  crossplane?: {
    /** The in-memory cache of cluster objects shared by PlatformOps. */
    cache?: {
      /** Also watch Deployments, StatefulSets and Services. Default true. */
      workloads?: boolean;
      /** Upper bound of cached objects per cluster. Default 250000. */
      maxObjectsPerCluster?: number;
      /** Page size of list requests. Default 500. */
      pageSize?: number;
    };
  };
}
