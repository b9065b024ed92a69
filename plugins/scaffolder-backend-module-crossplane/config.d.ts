export interface Config {
  crossplane?: {
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
  };
}
