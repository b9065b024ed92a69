import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import type { EntityMappingConfig } from '@platformops/plugin-crossplane-common';
import {
  ENTITY_MAPPING_CONFIG_KEY,
  readEntityMapping,
} from '@platformops/plugin-crossplane-node';

/**
 * Options of the Crossplane entity provider (`catalog.providers.crossplane`):
 * which objects become entities and how (shared with the status backend and
 * the scaffolder), and how this module writes them.
 */
export interface CrossplaneProviderConfig extends EntityMappingConfig {
  /** Clusters to ingest; all configured clusters when undefined. */
  clusters?: string[];
  /** Emit a software template per XRD. */
  templates: boolean;
  /** The templates' pull-request path; undefined when turned off. */
  gitops?: GitopsTemplateConfig;
  lifecycle: string;
  /**
   * How long one replica writes a cluster's entities (or the templates)
   * before the next writing window, which starts with a full mutation, goes
   * to any replica.
   */
  writerWindowMs: number;
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
export const DEFAULT_DEBOUNCE_MS = 500;
export const DEFAULT_WRITER_WINDOW_MS = 120_000;

/** Reads `catalog.providers.crossplane`, with defaults for every option. */
export function readProviderConfig(root: Config): CrossplaneProviderConfig {
  const config = root.getOptionalConfig(ENTITY_MAPPING_CONFIG_KEY);
  return {
    ...readEntityMapping(root),
    clusters: config?.getOptionalStringArray('clusters'),
    templates: config?.getOptionalBoolean('templates') ?? true,
    gitops: readGitops(config?.getOptionalConfig('gitops')),
    lifecycle: config?.getOptionalString('lifecycle') ?? DEFAULT_LIFECYCLE,
    debounceMs: config?.getOptionalNumber('debounceMs') ?? DEFAULT_DEBOUNCE_MS,
    writerWindowMs: config?.has('writerWindow')
      ? durationToMilliseconds(
          readDurationFromConfig(config, { key: 'writerWindow' }),
        )
      : DEFAULT_WRITER_WINDOW_MS,
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
