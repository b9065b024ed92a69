import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import {
  CrossplaneDay2Operation,
  CrossplaneLifecycleCapability,
  CrossplaneLifecycleOperation,
  CrossplaneLifecycleResult,
  CrossplaneObjectLocator,
} from '../../api/types';
import { DeleteDialog } from '../DeleteDialog';
import { EditDialog } from '../EditDialog';
import { messageOf } from '../shared/messageOf';

/**
 * How long "Reconcile now" waits for the outcome: long enough for a
 * controller's status write, short enough to keep the user waiting little.
 */
export const RECONCILE_WAIT_SECONDS = 10;

const LABELS: Record<CrossplaneDay2Operation, string> = {
  pause: 'Pause',
  resume: 'Resume',
  reconcile: 'Reconcile now',
  edit: 'Edit',
  delete: 'Delete',
  upgrade: 'Upgrade',
};

/** "10:41" in the user's locale. */
function timeOf(value: string): string {
  return new Date(value).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** What an operation did, in one line: "Reconciled: Ready=True at 10:41". */
export function describeOutcome(result: CrossplaneLifecycleResult): string {
  const at = timeOf(result.requestedAt);
  if (result.operation === 'pause') return `Paused at ${at}`;
  if (result.operation === 'resume') return `Resumed at ${at}`;
  const outcome = result.reconcile;
  const conditions =
    outcome?.conditions.map(c => `${c.type}=${c.status}`).join(', ') ||
    'no conditions';
  const verdict = outcome?.observed
    ? 'Reconciled'
    : 'Reconcile requested, no change seen yet';
  const skipped = result.skipped?.length
    ? ` (${result.skipped.length} managed resource(s) not annotated: the portal may not write them)`
    : '';
  return `${verdict}: ${conditions} at ${at}${skipped}`;
}

/** A button, disabled with the reason as its tooltip when not allowed. */
function OperationButton(props: {
  operation: CrossplaneDay2Operation;
  capability?: CrossplaneLifecycleCapability;
  busy: boolean;
  onClick: () => void;
}) {
  const { operation, capability, busy, onClick } = props;
  const allowed = capability?.allowed ?? false;
  const reason = capability ? capability.reason : 'checking your permissions';
  const button = (
    <Button
      variant="outlined"
      size="small"
      color={operation === 'reconcile' ? 'primary' : 'default'}
      aria-label={LABELS[operation]}
      data-testid={`crossplane-action-${operation}`}
      disabled={!allowed || busy}
      onClick={onClick}
    >
      {LABELS[operation]}
    </Button>
  );
  // A disabled button fires no events: the tooltip needs a wrapper, kept
  // when enabled so that the button stays the same element.
  return (
    <Tooltip title={allowed ? '' : reason ?? ''}>
      <span>{button}</span>
    </Tooltip>
  );
}

/**
 * Pause or Resume, "Reconcile now", Edit and Delete for the object of an
 * entity: each enabled only when the backend's capabilities allow it (the
 * reason as tooltip when not), a confirmation before pausing, the outcome
 * shown after; Edit and Delete open their dialogs.
 */
export function LifecycleActions(props: {
  locator: CrossplaneObjectLocator;
  /** Whether the object is paused now (its health says so). */
  paused: boolean;
  /** Called after an operation, to show the object's new state. */
  onChanged: () => void;
}) {
  const { locator, paused, onChanged } = props;
  const api = useApi(crossplaneApiRef);
  const capabilities = useAsyncRetry(
    () => api.getCapabilities(locator),
    [api, JSON.stringify(locator)],
  );
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [dialog, setDialog] = useState<'edit' | 'delete'>();
  const [outcome, setOutcome] = useState<{ text: string; failed: boolean }>();

  const run = async (operation: CrossplaneLifecycleOperation) => {
    setConfirming(false);
    setBusy(true);
    setOutcome(undefined);
    try {
      const result = await api.runLifecycleOperation(
        operation,
        locator,
        operation === 'reconcile'
          ? { waitSeconds: RECONCILE_WAIT_SECONDS }
          : {},
      );
      setOutcome({ text: describeOutcome(result), failed: false });
      onChanged();
    } catch (error) {
      setOutcome({
        text: `${LABELS[operation]} failed: ${messageOf(error)}`,
        failed: true,
      });
    } finally {
      setBusy(false);
      capabilities.retry();
    }
  };

  const refused = capabilities.error
    ? {
        allowed: false,
        reason: `could not check your permissions: ${messageOf(
          capabilities.error,
        )}`,
      }
    : undefined;
  const capabilityOf = (operation: CrossplaneDay2Operation) =>
    refused ?? capabilities.value?.[operation];
  const toggle: CrossplaneLifecycleOperation = paused ? 'resume' : 'pause';

  return (
    <Box display="flex" flexDirection="column" mb={2}>
      <Box display="flex" style={{ gap: 8 }}>
        <OperationButton
          operation={toggle}
          capability={capabilityOf(toggle)}
          busy={busy}
          onClick={() =>
            toggle === 'pause' ? setConfirming(true) : run('resume')
          }
        />
        <OperationButton
          operation="reconcile"
          capability={capabilityOf('reconcile')}
          busy={busy}
          onClick={() => run('reconcile')}
        />
        <OperationButton
          operation="edit"
          capability={capabilityOf('edit')}
          busy={busy}
          onClick={() => setDialog('edit')}
        />
        <OperationButton
          operation="delete"
          capability={capabilityOf('delete')}
          busy={busy}
          onClick={() => setDialog('delete')}
        />
      </Box>
      {busy && (
        <Typography variant="body2" color="textSecondary">
          Working…
        </Typography>
      )}
      {outcome && (
        <Typography
          variant="body2"
          role="status"
          color={outcome.failed ? 'error' : 'textPrimary'}
        >
          {outcome.text}
        </Typography>
      )}
      <EditDialog
        locator={locator}
        open={dialog === 'edit'}
        onClose={() => setDialog(undefined)}
        onApplied={onChanged}
        pullRequest={capabilities.value?.edit.pullRequest}
      />
      <DeleteDialog
        locator={locator}
        open={dialog === 'delete'}
        onClose={() => setDialog(undefined)}
        onDeleted={onChanged}
        pullRequest={capabilities.value?.delete.pullRequest}
      />
      <Dialog open={confirming} onClose={() => setConfirming(false)}>
        <DialogTitle>
          Pause {locator.kind} {locator.name}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Crossplane stops reconciling it until it is resumed: changes to it
            are not applied and drift in what it manages is not corrected.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="secondary" onClick={() => run('pause')}>
            Pause
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
