export interface Config {
  platformops?: {
    /**
     * The portal's default permission policy (src/permissions): who works in
     * which Kubernetes namespaces.
     */
    demoPolicy?: {
      /**
       * One entry per team: members of `group` (by the catalog's memberOf,
       * i.e. their ownership entity refs) create and delete Crossplane claims
       * and composites in `namespaces`, and nowhere else.
       */
      teams?: Array<{
        /** A group entity ref, e.g. group:default/team-alpha. */
        group: string;
        /** Kubernetes namespaces, e.g. [team-alpha]. */
        namespaces: string[];
      }>;
    };
  };
}
