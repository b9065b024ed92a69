import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  deliveryFormStep,
  isNamespacedTarget,
  KubernetesObject,
  parseXrd,
  resolveXrdTarget,
  reviewFormStep,
  TemplateParameters,
  Xrd,
  xrdToTemplateParameters,
} from '@platformops/plugin-crossplane-common';
import {
  fitEntityName,
  shortHash,
} from '@platformops/plugin-crossplane-common';
import { JsonArray, JsonObject } from '@backstage/types';
import { CrossplaneProviderConfig, GitopsTemplateConfig } from './config';

/** Location of every generated template: they span clusters. */
export const TEMPLATES_LOCATION = 'crossplane:templates';

/** Annotation naming the XRD a template creates resources of. */
export const XRD_ANNOTATION = 'platformops.io/xrd';

const IS_PULL_REQUEST = "${{ parameters.delivery == 'pull-request' }}";
const IS_APPLY = "${{ parameters.delivery != 'pull-request' }}";
/** The catalog ingests what was rendered (its filters may leave it out). */
const HAS_ENTITY = '${{ steps.render.output.entityRef }}';
const IS_APPLY_WITH_ENTITY =
  "${{ parameters.delivery != 'pull-request' and steps.render.output.entityRef }}";

/** One definition of an XRD, its form, and the clusters that serve it. */
interface XrdVariant {
  xrd: Xrd;
  object: KubernetesObject;
  clusters: string[];
}

/**
 * The software templates of every XRD in the given clusters: one per XRD,
 * offering the clusters that serve it. Clusters whose XRD of the same name
 * differs (another schema, say during a rollout) get a template of their
 * own, so a form never offers fields a cluster would refuse. Clusters are
 * offered in the order given; unreadable XRDs are skipped.
 */
export function xrdTemplates(
  xrdsByCluster: ReadonlyMap<string, readonly KubernetesObject[]>,
  config: CrossplaneProviderConfig,
): Entity[] {
  const byName = new Map<string, Map<string, XrdVariant>>();
  for (const [cluster, objects] of xrdsByCluster) {
    for (const object of objects) {
      let xrd: Xrd;
      try {
        xrd = parseXrd(object);
      } catch {
        continue;
      }
      const variants = byName.get(xrd.name) ?? new Map<string, XrdVariant>();
      const fingerprint = definitionFingerprint(xrd);
      const variant = variants.get(fingerprint);
      if (variant) {
        variant.clusters.push(cluster);
        continue;
      }
      variants.set(fingerprint, { xrd, object, clusters: [cluster] });
      byName.set(xrd.name, variants);
    }
  }
  const templates: Entity[] = [];
  for (const variants of byName.values()) {
    for (const [fingerprint, variant] of variants) {
      // The form, once per definition, its pickers reading the clusters
      // that serve it; an XRD without one is skipped.
      let form: TemplateParameters;
      try {
        form = xrdToTemplateParameters(variant.xrd, {
          pickers: { clusters: variant.clusters },
        });
      } catch {
        continue;
      }
      templates.push(
        xrdTemplate(
          { ...variant, form },
          config,
          variants.size > 1 ? fingerprint : '',
        ),
      );
    }
  }
  return templates;
}

/**
 * What makes two clusters' XRDs of one name the same form: everything but
 * labels and annotations other than PlatformOps' own (description, ui-schema).
 */
function definitionFingerprint(xrd: Xrd): string {
  const annotations = Object.fromEntries(
    Object.entries(xrd.annotations ?? {}).filter(([key]) =>
      key.startsWith('platformops.io/'),
    ),
  );
  return shortHash(JSON.stringify({ ...xrd, labels: {}, annotations }));
}

/**
 * A software template that creates a claim (or composite) of an XRD: a
 * "Delivery" step first (cluster; with GitOps, apply or pull request), so
 * that the live pickers of the next steps ask the chosen cluster, then the
 * form from the XRD's schema and last a "Review" step (the manifest and
 * the API server's dry run of it, before anything is created). Applying renders, applies, waits until Ready and until
 * the catalog has ingested the entity; a pull request renders the file into
 * the workspace and opens the pull request. The output links to the entity.
 */
function xrdTemplate(
  { xrd, object, form, clusters }: XrdVariant & { form: TemplateParameters },
  config: CrossplaneProviderConfig,
  variant: string,
): Entity {
  const target = resolveXrdTarget(xrd);
  const kind =
    target === 'claim' && xrd.claimNames ? xrd.claimNames.kind : xrd.names.kind;
  const gitops = config.gitops;
  const where = clusters.length === 1 ? `cluster ${clusters[0]}` : 'a cluster';
  const description =
    (object.metadata.annotations?.['platformops.io/description'] as
      | string
      | undefined) ??
    (gitops
      ? `Creates ${article(kind)} ${kind} (${
          xrd.group
        }) in ${where}, directly or through a pull request to a GitOps repository.`
      : `Creates ${article(kind)} ${kind} (${
          xrd.group
        }) in ${where} and waits until it is Ready.`);
  const base = `${kind.toLowerCase()}.${xrd.group}`;
  const name = fitEntityName(
    variant ? `${base}-${variant}` : base,
    `${xrd.name}/${variant}`,
  );
  const parameters = [
    deliveryFormStep({
      clusters,
      gitops: gitops ? { allowedHosts: gitops.allowedHosts } : undefined,
    }),
    ...form,
    reviewFormStep({ xrd: xrd.name }),
  ];

  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name,
      namespace: config.entityNamespace,
      title: variant ? `${kind} (${clusters.join(', ')})` : kind,
      description,
      tags: ['crossplane', kind.toLowerCase()],
      annotations: {
        [ANNOTATION_LOCATION]: TEMPLATES_LOCATION,
        [ANNOTATION_ORIGIN_LOCATION]: TEMPLATES_LOCATION,
        [XRD_ANNOTATION]: xrd.name,
        'platformops.io/clusters': clusters.join(','),
      },
    },
    spec: {
      type: 'crossplane-resource',
      owner: config.owner.defaultOwner,
      // The steps are plain JSON Schema objects.
      parameters: parameters as unknown as JsonArray,
      steps: [
        renderStep(xrd, kind, target, gitops),
        ...applySteps(kind, !!gitops),
        ...(gitops
          ? [pullRequestStep(kind, isNamespacedTarget(xrd, target), gitops)]
          : []),
      ],
      output: {
        links: [
          ...(gitops
            ? [
                {
                  title: 'Pull request',
                  url: `\${{ steps.pr.output.${gitops.pullRequestUrlOutput} }}`,
                  if: IS_PULL_REQUEST,
                },
              ]
            : []),
          {
            title: `Open the ${kind}`,
            icon: 'catalog',
            entityRef: '${{ steps.render.output.entityRef }}',
            if: HAS_ENTITY,
          },
        ],
        text: [
          {
            title: 'Manifest',
            content: '```yaml\n${{ steps.render.output.yaml }}\n```',
          },
        ],
      },
    },
  };
}

/** "an" before a vowel sound (as far as a kind's first letter tells). */
function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}

function renderStep(
  xrd: Xrd,
  kind: string,
  target: string,
  gitops: GitopsTemplateConfig | undefined,
): JsonObject {
  const input: JsonObject = {
    cluster: '${{ parameters.cluster }}',
    xrd: xrd.name,
    target,
    parameters: '${{ parameters }}',
  };
  if (gitops) {
    input.writeToWorkspace = IS_PULL_REQUEST;
    // Recorded on the object, so that its edits and deletion from the
    // portal become pull requests to the same repository.
    input.sourceRepo = '${{ parameters.repoUrl }}';
    if (gitops.layout) input.layout = gitops.layout;
  }
  return {
    id: 'render',
    name: `Render the ${kind}`,
    action: 'crossplane:render',
    input,
  };
}

function applySteps(kind: string, conditional: boolean): JsonObject[] {
  const condition = conditional ? { if: IS_APPLY } : {};
  return [
    {
      id: 'apply',
      name: `Create the ${kind} in the cluster`,
      action: 'crossplane:apply',
      ...condition,
      input: {
        cluster: '${{ parameters.cluster }}',
        manifest: '${{ steps.render.output.manifest }}',
      },
    },
    {
      id: 'wait',
      name: 'Wait until it is Ready and Synced',
      action: 'crossplane:wait',
      ...condition,
      input: {
        cluster: '${{ parameters.cluster }}',
        apiVersion: '${{ steps.render.output.apiVersion }}',
        kind: '${{ steps.render.output.kind }}',
        name: '${{ steps.render.output.name }}',
        namespace: '${{ steps.render.output.namespace }}',
        timeoutSeconds: 900,
      },
    },
    {
      id: 'register',
      name: 'Register in the catalog',
      action: 'crossplane:await-entity',
      if: conditional ? IS_APPLY_WITH_ENTITY : HAS_ENTITY,
      input: {
        entityRef: '${{ steps.render.output.entityRef }}',
        timeoutSeconds: 120,
      },
    },
  ];
}

function pullRequestStep(
  kind: string,
  namespaced: boolean,
  gitops: GitopsTemplateConfig,
): JsonObject {
  const name = '${{ steps.render.output.name }}';
  const namespace = '${{ steps.render.output.namespace }}';
  const object = namespaced ? `${namespace}/${name}` : name;
  const branch = namespaced ? `${namespace}-${name}` : name;
  return {
    id: 'pr',
    name: 'Open a pull request',
    action: gitops.pullRequestAction,
    if: IS_PULL_REQUEST,
    input: {
      repoUrl: '${{ parameters.repoUrl }}',
      branchName: `crossplane/\${{ parameters.cluster }}-${branch}`,
      title: `Add ${kind} ${object} to \${{ parameters.cluster }}`,
      description: `Adds the ${kind} \`${object}\` for cluster \${{ parameters.cluster }} (\`\${{ steps.render.output.filePath }}\`).\n\n\`\`\`yaml\n\${{ steps.render.output.yaml }}\n\`\`\``,
    },
  };
}
