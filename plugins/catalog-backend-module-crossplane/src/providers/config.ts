import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { LabelRequirement, parseLabelSelector } from '../lib/labelSelector';

/** Catalog kind an ingested claim or composite becomes. */
export type CompositeEntityKind = 'Component' | 'Resource';

/** Options of the Crossplane entity provider (`catalog.providers.crossplane`). */
export interface CrossplaneProviderConfig {
  /** Clusters to ingest; all configured clusters when undefined. */
  clusters?: string[];
  /** Kubernetes namespaces to ingest; all when undefined. */
  namespaces?: string[];
  labelSelector: LabelRequirement[];
  entityNamespace: string;
  claimsAs: CompositeEntityKind;
  compositesAs: CompositeEntityKind;
  managedResources: boolean;
  workloads: boolean;
  owner: {
    annotation: string;
    label: string;
    fromNamespace: boolean;
    defaultOwner: string;
  };
  lifecycle: string;
  /** How often a full mutation repairs what deltas may have missed. */
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Delay that batches bursts of cluster changes into one delta. */
  debounceMs: number;
}

export const DEFAULT_OWNER = 'group:default/platform-team';
export const DEFAULT_OWNER_KEY = 'platformops.io/owner';
export const DEFAULT_LIFECYCLE = 'production';
export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 10 },
  initialDelay: { seconds: 15 },
};
export const DEFAULT_DEBOUNCE_MS = 500;

const PATH = 'catalog.providers.crossplane';

function readEntityKind(
  config: Config | undefined,
  key: string,
): CompositeEntityKind {
  const value = config?.getOptionalString(key) ?? 'Component';
  if (value !== 'Component' && value !== 'Resource') {
    throw new InputError(
      `${PATH}.${key}: must be one of Component, Resource (got "${value}")`,
    );
  }
  return value;
}

/** Reads `catalog.providers.crossplane`, with defaults for every option. */
export function readProviderConfig(root: Config): CrossplaneProviderConfig {
  const config = root.getOptionalConfig(PATH);
  const owner = config?.getOptionalConfig('owner');
  const selector = config?.getOptionalString('labelSelector') ?? '';
  let labelSelector: LabelRequirement[];
  try {
    labelSelector = parseLabelSelector(selector);
  } catch (error) {
    throw new InputError(`${PATH}.labelSelector: ${(error as Error).message}`);
  }
  return {
    clusters: config?.getOptionalStringArray('clusters'),
    namespaces: config?.getOptionalStringArray('namespaces'),
    labelSelector,
    entityNamespace: config?.getOptionalString('entityNamespace') ?? 'default',
    claimsAs: readEntityKind(config, 'claimsAs'),
    compositesAs: readEntityKind(config, 'compositesAs'),
    managedResources: config?.getOptionalBoolean('managedResources') ?? true,
    workloads: config?.getOptionalBoolean('workloads') ?? true,
    owner: {
      annotation: owner?.getOptionalString('annotation') ?? DEFAULT_OWNER_KEY,
      label: owner?.getOptionalString('label') ?? DEFAULT_OWNER_KEY,
      fromNamespace: owner?.getOptionalBoolean('fromNamespace') ?? false,
      defaultOwner: owner?.getOptionalString('default') ?? DEFAULT_OWNER,
    },
    lifecycle: config?.getOptionalString('lifecycle') ?? DEFAULT_LIFECYCLE,
    schedule: config?.has('schedule')
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
          config.getConfig('schedule'),
        )
      : DEFAULT_SCHEDULE,
    debounceMs: config?.getOptionalNumber('debounceMs') ?? DEFAULT_DEBOUNCE_MS,
  };
}
