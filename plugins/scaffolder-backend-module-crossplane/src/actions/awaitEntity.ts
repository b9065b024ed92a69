import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  Entity,
  stringifyEntityRef,
  parseEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CROSSPLANE_ENTITY_ANNOTATIONS,
  CrossplaneObjectId,
  parseObjectId,
} from '@platformops/plugin-crossplane-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { authorize } from '../lib/authorize';
import { examples } from './awaitEntity.examples';

/** Seconds to wait for the catalog by default. */
export const DEFAULT_CATALOG_TIMEOUT_SECONDS = 120;

/** First and longest pause between two catalog reads. */
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * `crossplane:await-entity`: the "register" step of a Crossplane template.
 * The catalog module ingests new claims and composites by itself; this step
 * holds the task until the entity is there (read as the task's user), so the
 * template's link to it works when the task ends. The catalog has no watch
 * API, hence reads with a growing pause. A catalog that has not caught up in
 * time is reported, not failed: the resource exists, and its entity follows.
 *
 * @public
 */
export function createCrossplaneAwaitEntityAction(options: {
  catalog: CatalogService;
  permissions: PermissionsService;
}) {
  const { catalog, permissions } = options;
  return createTemplateAction({
    id: 'crossplane:await-entity',
    description:
      'Waits until the catalog holds the entity of a new Crossplane resource (ingested by the Crossplane catalog module).',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .min(1)
            .describe(
              'The entity, e.g. the entityRef output of crossplane:render',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .positive()
            .default(DEFAULT_CATALOG_TIMEOUT_SECONDS)
            .describe('How long to wait, in seconds'),
      },
      output: {
        entityRef: z => z.string().describe('The entity ref, normalised'),
        found: z =>
          z
            .boolean()
            .describe('Whether the catalog held the entity before the timeout'),
      },
    },
    async handler(ctx) {
      let entityRef: string;
      try {
        entityRef = stringifyEntityRef(parseEntityRef(ctx.input.entityRef));
      } catch (error) {
        throw new InputError(`entityRef: ${(error as Error).message}`);
      }
      ctx.output('entityRef', entityRef);
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would wait for ${entityRef} in the catalog`);
        ctx.output('found', false);
        return;
      }
      const timeoutMs =
        (ctx.input.timeoutSeconds ?? DEFAULT_CATALOG_TIMEOUT_SECONDS) * 1000;
      const credentials = await ctx.getInitiatorCredentials();
      const started = Date.now();
      let delay = FIRST_DELAY_MS;
      for (;;) {
        const entity = await catalog.getEntityByRef(entityRef, {
          credentials,
        });
        if (entity) {
          // The entity tells of the object's state: reading it is a read
          // of the object, under the same permission as its status.
          await authorize(permissions, credentials, 'read', objectOf(entity));
          ctx.logger.info(
            `${entityRef} is in the catalog (after ${(
              (Date.now() - started) /
              1000
            ).toFixed(1)} s)`,
          );
          ctx.output('found', true);
          return;
        }
        const left = timeoutMs - (Date.now() - started);
        if (left <= 0) break;
        await sleep(Math.min(delay, left));
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
      ctx.logger.warn(
        `${entityRef} is not in the catalog after ${
          timeoutMs / 1000
        } s; the resource exists and its entity appears once the catalog has ingested it`,
      );
      ctx.output('found', false);
    },
  });
}

/** The cluster object an ingested entity stands for. */
function objectOf(entity: Entity): CrossplaneObjectId {
  const annotations = entity.metadata.annotations ?? {};
  const a = CROSSPLANE_ENTITY_ANNOTATIONS;
  try {
    return parseObjectId({
      cluster: annotations[a.cluster],
      apiVersion: annotations[a.apiVersion],
      kind: annotations[a.kind],
      namespace: annotations[a.namespace],
      name: annotations[a.name],
    });
  } catch (error) {
    throw new InputError(
      `entityRef: ${stringifyEntityRef(
        entity,
      )} is not the entity of a Crossplane object (${
        (error as Error).message
      })`,
    );
  }
}
