import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { EntityRollup } from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { Timestamp } from '../shared/format';
import { RollupView } from './RollupView';

/**
 * Props of {@link EntityServiceRollupCard}.
 *
 * @public
 */
export interface EntityServiceRollupCardProps {
  /** How often to refresh, in milliseconds; 15 seconds by default, 0 never. */
  refreshIntervalMs?: number;
}

/**
 * Everything known about the entity (a service, or a System's or owner's
 * services), rolled up: the overall health with its cause named, then each
 * status source worst first: workloads with their pods, the Crossplane
 * resources it depends on, pipeline runs.
 */
export function EntityServiceRollupCard(props: EntityServiceRollupCardProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(crossplaneApiRef);
  const state = useAsyncRetry(() => api.getRollup(entityRef), [api, entityRef]);
  // A failed refresh keeps the last roll-up on screen, with the error above.
  const last = useRef<EntityRollup>();
  if (state.value) last.current = state.value;
  const rollup = state.value ?? last.current;
  const loadingRef = useRef(state.loading);
  loadingRef.current = state.loading;
  const interval = props.refreshIntervalMs ?? 15_000;
  useInterval(
    () => {
      if (!loadingRef.current) state.retry();
    },
    interval > 0 ? interval : null,
  );

  let content;
  if (!rollup && state.loading) content = <Progress />;
  else {
    content = (
      <>
        {state.error && (
          <CrossplaneErrorPanel
            error={state.error}
            title="Could not load the service's health"
          />
        )}
        {rollup && <RollupView rollup={rollup} />}
      </>
    );
  }

  return (
    <div data-testid="service-rollup-card">
      <InfoCard
        title={
          entity.kind.toLowerCase() === 'component'
            ? 'Service health'
            : 'Health of its services'
        }
        subheader={
          rollup ? (
            <Typography variant="body2" color="textSecondary" component="span">
              Updated <Timestamp value={rollup.computedAt} />
            </Typography>
          ) : undefined
        }
      >
        {content}
      </InfoCard>
    </div>
  );
}
