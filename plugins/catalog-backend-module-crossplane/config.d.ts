import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Ingestion of Crossplane and Kubernetes objects. Clusters come from
       * `kubernetes.clusterLocatorMethods`.
       */
      crossplane?: {
        /** Names of the clusters to ingest. Default: every configured cluster. */
        clusters?: string[];
        /** Kubernetes namespaces to ingest. Default: all. */
        namespaces?: string[];
        /** Equality-based label selector, e.g. `team=alpha,!legacy`. */
        labelSelector?: string;
        /** Catalog namespace of the ingested entities. Default `default`. */
        entityNamespace?: string;
        /** Catalog kind of claims. Default `Component`. */
        claimsAs?: 'Component' | 'Resource';
        /** Catalog kind of composite resources. Default `Component`. */
        compositesAs?: 'Component' | 'Resource';
        /** Ingest managed resources as Resource entities. Default true. */
        managedResources?: boolean;
        /** Ingest Deployments, StatefulSets and Services. Default true. */
        workloads?: boolean;
        /**
         * A software template per XRD: form from its schema, a choice of
         * cluster and of applying or opening a pull request. Default true.
         */
        templates?: boolean;
        /** The templates' pull-request path (GitOps). */
        gitops?: {
          /** Offer a pull request besides applying. Default true. */
          enabled?: boolean;
          /**
           * Action that opens the pull request, given `repoUrl`, `branchName`,
           * `title` and `description`. Default `publish:github:pull-request`
           * (install `@backstage/plugin-scaffolder-backend-module-github`);
           * e.g. `publish:gitlab:merge-request` with `pullRequestUrlOutput:
           * mergeRequestUrl`.
           */
          pullRequestAction?: string;
          /** The action's output with the pull request's URL. Default `remoteUrl`. */
          pullRequestUrlOutput?: string;
          /** Hosts the repository picker offers. Default `[github.com]`. */
          allowedHosts?: string[];
          /** Path of the manifest in the repository, e.g. `clusters/{cluster}/{namespace}/{kind}-{name}.yaml`. Default `{cluster}/{namespace}/{kind}/{name}.yaml`. */
          layout?: string;
        };
        /** Who owns an ingested entity. */
        owner?: {
          /** Annotation holding an owner entity ref. Default `platformops.io/owner`. */
          annotation?: string;
          /** Label naming an owner group. Default `platformops.io/owner`. */
          label?: string;
          /** Without annotation or label, the group named like the namespace owns. Default false. */
          fromNamespace?: boolean;
          /** Owner of everything else. Default `group:default/platform-team`. */
          default?: string;
        };
        /** `spec.lifecycle` of ingested entities. Default `production`. */
        lifecycle?: string;
        /**
         * No longer read: the templates are rewritten in full at the start
         * of each writing window (`writerWindow`), by one replica.
         *
         * @deprecated The templates follow the writing windows (`writerWindow`).
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * How long one backend replica writes a cluster's entities (or the
         * XRD templates) before the next writing window (which starts with a
         * full resync) goes to any replica. Default 2 minutes.
         */
        writerWindow?: HumanDuration | string;
        /** Milliseconds that batch a burst of changes into one catalog write. Default 500. */
        debounceMs?: number;
      };
    };
  };
}
