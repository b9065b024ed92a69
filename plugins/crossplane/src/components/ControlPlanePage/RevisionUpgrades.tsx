import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import {
  CrossplaneObjectLocator,
  CrossplaneRevisionLag,
  CrossplaneUpgradeStep,
} from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { HealthStatus } from '../HealthStatus';
import { formatObjectRef } from '../shared/format';
import { messageOf } from '../shared/messageOf';

const OUTCOME_LABELS: Record<CrossplaneUpgradeStep['outcome'], string> = {
  upgraded: 'upgraded',
  unhealthy: 'unhealthy (stopped here)',
  refused: 'refused',
  failed: 'failed',
  'not-run': 'not run',
};

/** One key per object, across clusters. */
function keyOf(object: CrossplaneObjectLocator): string {
  return [
    object.cluster,
    object.apiVersion,
    object.kind,
    object.namespace ?? '',
    object.name,
  ].join('|');
}

function objectLabel(object: CrossplaneObjectLocator): string {
  return `${formatObjectRef(object)} (${object.cluster})`;
}

/** What an upgrade did to each object, in the order they were moved. */
export function UpgradeSteps(props: { steps: CrossplaneUpgradeStep[] }) {
  return (
    <Table
      size="small"
      aria-label="Upgrade results"
      data-testid="upgrade-steps"
    >
      <TableHead>
        <TableRow>
          <TableCell>Object</TableCell>
          <TableCell>Revision</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>Message</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.steps.map(step => (
          <TableRow key={keyOf(step.object)}>
            <TableCell>{objectLabel(step.object)}</TableCell>
            <TableCell>
              {step.from || step.to
                ? `${step.from ?? '?'} → ${step.to ?? '?'}`
                : '-'}
            </TableCell>
            <TableCell data-testid={`upgrade-outcome-${step.object.name}`}>
              <Typography
                variant="body2"
                color={step.outcome === 'upgraded' ? 'textPrimary' : 'error'}
              >
                {OUTCOME_LABELS[step.outcome] ?? step.outcome}
              </Typography>
            </TableCell>
            <TableCell>{step.message ?? ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * "Composition revision upgrades": the XRs and claims with a Manual update
 * policy that are behind the latest revision of their Composition, to
 * select and move forward one by one; the backend stops at the first that
 * turns unhealthy.
 */
export function RevisionUpgrades(props: {
  /** The clusters the page is narrowed to; all when empty. */
  clusters?: string[];
}) {
  const { clusters } = props;
  const api = useApi(crossplaneApiRef);
  const lags = useAsyncRetry(
    () => api.getUpgrades(clusters?.length ? { cluster: clusters } : {}),
    [api, JSON.stringify(clusters ?? [])],
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [steps, setSteps] = useState<CrossplaneUpgradeStep[]>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const rows = lags.value ?? [];
  const toggle = (key: string) => {
    const next = new Set(selected);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setSelected(next);
  };
  // Only what is listed now counts: a filter may have hidden a selection.
  const chosen = rows.filter(row => selected.has(keyOf(row.object)));
  const allSelected = rows.length > 0 && chosen.length === rows.length;

  const upgrade = async () => {
    setBusy(true);
    setFailure(undefined);
    setSteps(undefined);
    try {
      // In the table's order: the backend moves them one by one.
      const objects = chosen.map(row => row.object);
      setSteps(await api.upgrade({ objects }));
      setSelected(new Set());
      lags.retry();
    } catch (error) {
      setFailure(`Upgrade failed: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };

  let content;
  if (lags.loading && !lags.value) content = <Progress />;
  else if (lags.error) {
    content = (
      <CrossplaneErrorPanel
        error={lags.error}
        title="Could not load the revision upgrades"
      />
    );
  } else if (rows.length === 0) {
    content = (
      <Typography variant="body2">
        Every resource with a Manual update policy is on the latest revision of
        its Composition.
      </Typography>
    );
  } else {
    content = (
      <Table
        size="small"
        aria-label="Revision upgrades"
        data-testid="revision-upgrades"
      >
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox">
              <Checkbox
                checked={allSelected}
                indeterminate={chosen.length > 0 && !allSelected}
                onChange={() =>
                  setSelected(
                    allSelected
                      ? new Set()
                      : new Set(rows.map(row => keyOf(row.object))),
                  )
                }
                inputProps={{ 'aria-label': 'Select all' }}
              />
            </TableCell>
            <TableCell>Resource</TableCell>
            <TableCell>Class</TableCell>
            <TableCell>Composition</TableCell>
            <TableCell>Current revision</TableCell>
            <TableCell>Latest revision</TableCell>
            <TableCell>Health</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row: CrossplaneRevisionLag) => {
            const key = keyOf(row.object);
            return (
              <TableRow key={key} selected={selected.has(key)}>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={selected.has(key)}
                    onChange={() => toggle(key)}
                    inputProps={{
                      'aria-label': `Select ${objectLabel(row.object)}`,
                    }}
                  />
                </TableCell>
                <TableCell>{objectLabel(row.object)}</TableCell>
                <TableCell>{row.objectClass}</TableCell>
                <TableCell>{row.composition}</TableCell>
                <TableCell>{row.currentRevision}</TableCell>
                <TableCell>{row.latestRevision}</TableCell>
                <TableCell>
                  <HealthStatus health={row.health} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard
      title="Composition revision upgrades"
      subheader="Resources with a Manual update policy behind their Composition's latest revision"
      action={
        <Box m={1}>
          <Button
            variant="contained"
            color="primary"
            aria-label="Upgrade selected"
            disabled={chosen.length === 0 || busy}
            onClick={upgrade}
          >
            Upgrade selected
          </Button>
        </Box>
      }
    >
      {content}
      {busy && (
        <Typography variant="body2" color="textSecondary">
          Upgrading, one by one…
        </Typography>
      )}
      {failure && (
        <Typography variant="body2" color="error" role="alert">
          {failure}
        </Typography>
      )}
      {steps && (
        <Box mt={2}>
          <UpgradeSteps steps={steps} />
        </Box>
      )}
    </InfoCard>
  );
}
