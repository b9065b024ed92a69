import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  EntityNaming,
  OwnerRules,
  readEntityNaming,
  readOwnerRules,
} from '@platformops/plugin-crossplane-node';
import { LabelRequirement, parseLabelSelector } from '../lib/labelSelector';

/** Options of the Crossplane entity provider (`catalog.providers.crossplane`). */
export interface CrossplaneProviderConfig extends EntityNaming {
  /** Clusters to ingest; all configured clusters when undefined. */
  clusters?: string[];
  /** Kubernetes namespaces to ingest; all when undefined. */
  namespaces?: string[];
  labelSelector: LabelRequirement[];
  managedResources: boolean;
  workloads: boolean;
  /** Emit a software template per XRD. */
  templates: boolean;
  /** The templates' pull-request path; undefined when turned off. */
  gitops?: GitopsTemplateConfig;
  owner: OwnerRules;
  lifecycle: string;
  /** How often a full mutation repairs what deltas may have missed. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Delay that batches bursts of cluster changes into one delta. */
  debounceMs: number;
}

/** How generated templates commit a resource to a GitOps repository. */
export interface GitopsTemplateConfig {
  /**
   * Scaffolder action that opens the pull request; it receives `repoUrl`,
   * `branchName`, `title` and `description` and commits the workspace.
   */
  pullRequestAction: string;
  /** The action's output holding the pull request's URL, for the link. */
  pullRequestUrlOutput: string;
  /** Hosts the repository picker offers. */
  allowedHosts: string[];
  /** Workspace path of the manifest; the render action's default if unset. */
  layout?: string;
}

export const DEFAULT_GITOPS: GitopsTemplateConfig = {
  pullRequestAction: 'publish:github:pull-request',
  pullRequestUrlOutput: 'remoteUrl',
  allowedHosts: ['github.com'],
};

export const DEFAULT_LIFECYCLE = 'production';
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};
export const DEFAULT_DEBOUNCE_MS = 500;

const PATH = 'catalog.providers.crossplane';

/** Reads `catalog.providers.crossplane`, with defaults for every option. */
export function readProviderConfig(root: Config): CrossplaneProviderConfig {
  const config = root.getOptionalConfig(PATH);
  const selector = config?.getOptionalString('labelSelector') ?? '';
  let labelSelector: LabelRequirement[];
  try {
    labelSelector = parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(`${PATH}.labelSelector: ${(error as Error).message}`);
  }
  return {
    ...readEntityNaming(root),
    clusters: config?.getOptionalStringArray('clusters'),
    namespaces: config?.getOptionalStringArray('namespaces'),
    labelSelector,
    managedResources: config?.getOptionalBoolean('managedResources') ?? true,
    workloads: config?.getOptionalBoolean('workloads') ?? true,
    templates: config?.getOptionalBoolean('templates') ?? true,
    gitops: readGitops(config?.getOptionalConfig('gitops')),
    owner: readOwnerRules(root),
    lifecycle: config?.getOptionalString('lifecycle') ?? DEFAULT_LIFECYCLE,
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    debounceMs: config?.getOptionalNumber('debounceMs') ?? DEFAULT_DEBOUNCE_MS,
  };
}

function readGitops(config?: Config): GitopsTemplateConfig | undefined {
  if (config?.getOptionalBoolean('enabled') === false) return undefined;
  return {
    pullRequestAction:
      config?.getOptionalString('pullRequestAction') ??
      DEFAULT_GITOPS.pullRequestAction,
    pullRequestUrlOutput:
      config?.getOptionalString('pullRequestUrlOutput') ??
      DEFAULT_GITOPS.pullRequestUrlOutput,
    allowedHosts:
      config?.getOptionalStringArray('allowedHosts') ??
      DEFAULT_GITOPS.allowedHosts,
    layout: config?.getOptionalString('layout'),
  };
}
