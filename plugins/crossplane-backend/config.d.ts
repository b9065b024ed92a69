export interface Config {
  crossplane?: {
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
