export interface Config {
  crossplane?: {
    /**
     * The pull-request path of objects PlatformOps delivers through Git
     * (annotations `platformops.io/source-repo` and `source-path`): their
     * Edit and Delete open a pull request on their file instead of writing
     * the cluster.
     */
    gitops?: {
      /**
       * Repositories the portal may open such pull requests to, as
       * `host/owner/repo` or `host/owner/*` (host as in `integrations`,
       * with its port if any). The repository an object names is data in
       * the cluster: one not listed here is refused (409). Credentials come
       * from the host's Gitea or GitHub entry under `integrations`.
       */
      repositories?: string[];
      /** Objects Argo CD delivers (tracking annotation or instance label). */
      argocd?: {
        /**
         * The namespaces whose Applications the portal reads to find an
         * object's repository and path (default `argocd`); the first is
         * where an application named without `<namespace>_` lives. An
         * object naming an application elsewhere is refused (409).
         */
        namespaces?: string[];
      };
      /** Objects Flux delivers (its Kustomization's labels). */
      flux?: {
        /**
         * The namespaces whose Kustomizations the portal reads besides the
         * object's own (default `flux-system`). An object naming a
         * Kustomization elsewhere is refused (409) without reading it.
         */
        namespaces?: string[];
      };
    };
    /** The timelines of objects (`GET /api/crossplane/timeline`). */
    timeline?: {
      /**
       * How long the portal keeps the audit records of operations on
       * objects for their timelines: the newest `maxPerObject` of each
       * object (default 100), none older than `maxAgeDays` (default 90).
       * The auditor's own log is not affected.
       */
      retention?: {
        maxPerObject?: number;
        maxAgeDays?: number;
      };
    };
  };
}
