import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import {
  CrossplaneDeletionImpact,
  CrossplaneDeletionItem,
  CrossplaneDeletionProgress,
  CrossplaneObjectLocator,
} from '../../api/types';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { formatObjectRef, Timestamp } from '../shared/format';
import { GitOpsNotice } from '../shared/GitOpsNotice';
import { PullRequestOpened } from '../shared/PullRequestOpened';
import { OperationDialog } from '../shared/OperationDialog';
import { isNotFound, messageOf } from '../shared/messageOf';

/** How often the progress of a started delete is read again. */
export const DELETION_POLL_MS = 2000;

/** What happens to a managed resource's external resource, for people. */
export function describeFate(item: CrossplaneDeletionItem): string {
  if (item.fate === 'deleted') return 'external resource deleted';
  if (item.fate === 'orphaned') return 'kept in the provider';
  return 'deleted with it';
}

function DeletionTree(props: { items: CrossplaneDeletionItem[] }) {
  return (
    <Table
      size="small"
      aria-label="Objects deleted"
      data-testid="deletion-items"
    >
      <TableHead>
        <TableRow>
          <TableCell>Object</TableCell>
          <TableCell>Class</TableCell>
          <TableCell>Deletion policy</TableCell>
          <TableCell>Management policies</TableCell>
          <TableCell>Fate</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(item => (
          <TableRow key={formatObjectRef(item.object)}>
            <TableCell>
              {formatObjectRef(item.object)}
              {item.deletionTimestamp && (
                <Typography variant="caption" display="block">
                  being deleted since{' '}
                  <Timestamp value={item.deletionTimestamp} />
                  {item.finalizers?.length
                    ? `, finalizers: ${item.finalizers.join(', ')}`
                    : ''}
                </Typography>
              )}
            </TableCell>
            <TableCell>{item.objectClass}</TableCell>
            <TableCell>{item.deletionPolicy ?? '-'}</TableCell>
            <TableCell>{item.managementPolicies?.join(', ') ?? '-'}</TableCell>
            <TableCell data-testid="deletion-fate">
              {describeFate(item)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Everything a delete takes with it, and what stands in its way. */
export function DeletionImpactView(props: {
  impact: CrossplaneDeletionImpact;
  /** Deletion opens a pull request (default: PlatformOps' own objects). */
  pullRequest?: boolean;
}) {
  const { impact } = props;
  const kept = impact.items.filter(i => i.fate === 'orphaned').length;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      {impact.gitOps && (
        <GitOpsNotice
          source={impact.gitOps}
          action="deleted"
          pullRequest={props.pullRequest}
        />
      )}
      <Typography variant="body2">
        {impact.items.length} object(s) go with it
        {kept ? `; ${kept} external resource(s) are kept in the provider` : ''}.
      </Typography>
      <DeletionTree items={impact.items} />
      {impact.usages.length > 0 && (
        <Alert severity="warning" data-testid="deletion-usages">
          Usages block the deletion until what uses these objects is gone:
          <ul>
            {impact.usages.map(usage => (
              <li key={formatObjectRef(usage.usage)}>
                {formatObjectRef(usage.of)}
                {usage.by
                  ? ` is used by ${formatObjectRef(usage.by)}`
                  : ' is in use'}{' '}
                ({formatObjectRef(usage.usage)}
                {usage.reason ? `: ${usage.reason}` : ''})
              </li>
            ))}
          </ul>
        </Alert>
      )}
      {impact.connectionSecrets.length > 0 && (
        <Alert severity="warning" data-testid="deletion-secrets">
          Connection Secrets that disappear:{' '}
          {impact.connectionSecrets
            .map(s => (s.namespace ? `${s.namespace}/${s.name}` : s.name))
            .join(', ')}
        </Alert>
      )}
      {impact.dependents.length > 0 && (
        <Alert severity="warning" data-testid="deletion-dependents">
          Catalog entities that depend on it: {impact.dependents.join(', ')}
        </Alert>
      )}
    </Box>
  );
}

type DeleteState =
  | { phase: 'review' }
  | { phase: 'deleting'; impact?: CrossplaneDeletionImpact }
  | {
      /** The root is gone; what it took with it is followed until gone. */
      phase: 'following';
      objects: CrossplaneObjectLocator[];
      progress?: CrossplaneDeletionProgress;
      failure?: string;
    }
  | { phase: 'proposed'; pullRequest: { url: string; number: number } }
  | {
      phase: 'gone';
      /** Objects it took with it that the user may not read. */
      unfollowed?: number;
    };

/** The objects a deletion takes with it besides its root, on its cluster. */
function composedOf(
  locator: CrossplaneObjectLocator,
  impact?: CrossplaneDeletionImpact,
): CrossplaneObjectLocator[] {
  return (impact?.items.slice(1) ?? []).map(item => ({
    cluster: locator.cluster,
    ...item.object,
  }));
}

/** How many objects a deletion took with it the user cannot follow. */
function UnfollowedNotice(props: { count: number }) {
  if (!props.count) return null;
  return (
    <Alert severity="info" data-testid="deletion-unfollowed">
      {props.count} composed object(s) it took with it cannot be followed: your
      permissions do not let you read them.
    </Alert>
  );
}

/** The root gone, and how far what it took with it is. */
function FollowingView(props: {
  locator: CrossplaneObjectLocator;
  state: Extract<DeleteState, { phase: 'following' }>;
}) {
  const { locator, state } = props;
  const left = state.progress?.items.flatMap(i =>
    !i.gone && i.item ? [i.item] : [],
  );
  const unfollowed = state.progress?.items.filter(i => i.hidden).length ?? 0;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
      <Typography variant="body2" role="status" data-testid="deletion-progress">
        {locator.kind} {locator.name} is gone;{' '}
        {left
          ? `${left.length} composed object(s) are still being deleted:`
          : `following the ${state.objects.length} composed object(s) it took with it…`}
      </Typography>
      <UnfollowedNotice count={unfollowed} />
      {state.progress?.heldBy.length ? (
        <Alert severity="warning" data-testid="deletion-held-by">
          Held by: {state.progress.heldBy.join('; ')}
        </Alert>
      ) : null}
      {left && <DeletionTree items={left} />}
      {state.failure && (
        <Alert severity="error" data-testid="deletion-progress-failure">
          {state.failure}
        </Alert>
      )}
    </Box>
  );
}

/**
 * Deletes a claim or XR after showing what goes with it (and what the
 * provider keeps), once its name is typed; then follows the deletion until
 * the object and the objects it took with it are gone, saying what holds
 * it when it is stuck, and how many of them the user may not read (those
 * are not followed, never said gone). An object Git
 * delivers is never deleted from here: for one PlatformOps delivers, a
 * pull request removes its file; another tool's is only explained.
 */
export function DeleteDialog(props: {
  locator: CrossplaneObjectLocator;
  open: boolean;
  onClose: () => void;
  /** Called once the object is gone and the dialog closed. */
  onDeleted: () => void;
  /** Deletion opens a pull request (the object's capability says). */
  pullRequest?: boolean;
  pollIntervalMs?: number;
}) {
  const { locator, open, onClose, onDeleted } = props;
  const pollIntervalMs = props.pollIntervalMs ?? DELETION_POLL_MS;
  const api = useApi(crossplaneApiRef);
  const impact = useAsync(
    async () => (open ? api.getDeletionImpact(locator) : undefined),
    [api, open, JSON.stringify(locator)],
  );
  const [typed, setTyped] = useState('');
  const [progress, setProgress] = useState<DeleteState>({ phase: 'review' });
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const phase = progress.phase;
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    if (phase !== 'deleting') return undefined;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const next = await api.getDeletionImpact(locator);
        if (!stopped) setProgress({ phase: 'deleting', impact: next });
      } catch (error) {
        if (stopped) return;
        if (isNotFound(error)) {
          // Reads still under way answer too late to change anything.
          stopped = true;
          clearInterval(timer);
          // Open, the dialog follows what the object took with it; closed,
          // the object's page only needs to know it is gone.
          setProgress(current => {
            const objects =
              current.phase === 'deleting'
                ? composedOf(locator, current.impact)
                : [];
            return objects.length && openRef.current
              ? { phase: 'following', objects }
              : { phase: 'gone' };
          });
          // Shown as gone while open; reported when closed.
          if (!openRef.current) onDeleted();
        } else {
          setFailure(`Could not read the progress: ${messageOf(error)}`);
        }
      }
    }, pollIntervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
    // Poll while deleting; the locator and callbacks do not change then.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase, api, pollIntervalMs]);

  const following = progress.phase === 'following' ? progress.objects : null;
  useEffect(() => {
    if (!following) return undefined;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const next = await api.getDeletionProgress(following);
        if (stopped) return;
        if (!next.deleting) {
          // Reads still under way answer too late to change anything.
          stopped = true;
          clearInterval(timer);
        }
        setProgress(
          next.deleting
            ? { phase: 'following', objects: following, progress: next }
            : {
                phase: 'gone',
                unfollowed: next.items.filter(i => i.hidden).length,
              },
        );
      } catch (error) {
        if (stopped) return;
        // The root stays said gone; only the rest is unknown for now.
        setProgress(current =>
          current.phase === 'following'
            ? {
                ...current,
                failure: `Could not read the progress of the composed objects: ${messageOf(
                  error,
                )}`,
              }
            : current,
        );
      }
    }, pollIntervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [following, api, pollIntervalMs]);

  const start = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const started = await api.deleteObject({ ...locator, confirm: typed });
      setProgress(
        started.pullRequest
          ? { phase: 'proposed', pullRequest: started.pullRequest }
          : { phase: 'deleting', impact: started },
      );
    } catch (error) {
      if (isNotFound(error)) {
        setProgress({ phase: 'gone' });
      } else {
        setFailure(`Delete failed: ${messageOf(error)}`);
      }
    } finally {
      setBusy(false);
    }
  };

  const close = () => {
    setTyped('');
    setFailure(undefined);
    if (phase !== 'deleting') setProgress({ phase: 'review' });
    onClose();
    // Reported once the dialog is closed: the page then shows the object
    // gone, which would take the dialog with it.
    if (phase === 'gone' || phase === 'following') onDeleted();
  };

  const gitOps = impact.value?.gitOps;
  const viaPullRequest = props.pullRequest ?? gitOps?.tool === 'platformops';
  const confirmed = typed === locator.name;
  let content;
  if (progress.phase === 'proposed') {
    content = <PullRequestOpened pullRequest={progress.pullRequest} />;
  } else if (progress.phase === 'gone') {
    content = (
      <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
        <Alert severity="success" data-testid="deletion-done">
          {locator.kind} {locator.name} is gone.
        </Alert>
        <UnfollowedNotice count={progress.unfollowed ?? 0} />
      </Box>
    );
  } else if (progress.phase === 'following') {
    content = <FollowingView locator={locator} state={progress} />;
  } else if (phase === 'deleting') {
    const current = progress.impact;
    content = (
      <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
        <Typography
          variant="body2"
          role="status"
          data-testid="deletion-progress"
        >
          Deleting… {current ? `${current.items.length} object(s) left.` : ''}
        </Typography>
        {current?.heldBy?.length ? (
          <Alert severity="warning" data-testid="deletion-held-by">
            Held by: {current.heldBy.join('; ')}
          </Alert>
        ) : null}
        {current && <DeletionTree items={current.items} />}
      </Box>
    );
  } else if (impact.loading) {
    content = <Progress />;
  } else if (impact.error) {
    content = (
      <CrossplaneErrorPanel
        error={impact.error}
        title="Could not load what the delete would take with it"
      />
    );
  } else if (impact.value) {
    content = (
      <>
        <DeletionImpactView
          impact={impact.value}
          pullRequest={viaPullRequest}
        />
        {(!gitOps || viaPullRequest) && (
          <Box mt={2}>
            <TextField
              fullWidth
              size="small"
              variant="outlined"
              label={`Type ${locator.name} to confirm`}
              value={typed}
              onChange={event => setTyped(event.target.value)}
              inputProps={{ 'aria-label': 'Confirm name' }}
            />
          </Box>
        )}
      </>
    );
  }

  return (
    <OperationDialog
      name="delete"
      title={`Delete ${locator.kind} ${locator.name}?`}
      open={open}
      onClose={close}
      failure={failure}
      actions={
        <>
          <Button onClick={close} aria-label="Close delete">
            {phase === 'review' ? 'Cancel' : 'Close'}
          </Button>
          {phase === 'review' && (!gitOps || viaPullRequest) && (
            <Button
              variant="contained"
              color="secondary"
              aria-label={
                viaPullRequest ? 'Open pull request' : 'Confirm delete'
              }
              disabled={!impact.value || !confirmed || busy}
              onClick={start}
            >
              {viaPullRequest ? 'Open pull request' : 'Delete'}
            </Button>
          )}
        </>
      }
    >
      {content}
    </OperationDialog>
  );
}
