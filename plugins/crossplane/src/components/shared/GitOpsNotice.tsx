import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { CrossplaneGitOpsSource } from '../../api/types';

/**
 * Says that Git, not the portal, is the object's source of truth, so the
 * change must go through its repository: for what PlatformOps delivers,
 * through the pull request the dialog opens (PlatformOps' own, or Argo
 * CD's and Flux's where the portal may open one).
 */
export function GitOpsNotice(props: {
  source: CrossplaneGitOpsSource;
  /** What the user wanted to do, e.g. "edited" or "deleted". */
  action: string;
  /** The portal opens a pull request for it (default: PlatformOps' own). */
  pullRequest?: boolean;
}) {
  const { source, action } = props;
  const pullRequest = props.pullRequest ?? source.tool === 'platformops';
  let where: ReactNode = 'its Git repository';
  if (source.repoUrl) {
    // The annotation is data in the cluster: only a web address is a link
    // (the templates' `host?owner=..&repo=..` form, or worse, is not).
    const link = /^https?:\/\//i.test(source.repoUrl);
    where = (
      <>
        {link ? (
          <a href={source.repoUrl} target="_blank" rel="noopener noreferrer">
            {source.repoUrl}
          </a>
        ) : (
          <code>{source.repoUrl}</code>
        )}
        {source.path ? ` (${source.path})` : ''}
      </>
    );
  }
  if (pullRequest) {
    return (
      <Alert severity="info" data-testid="gitops-notice">
        Delivered through Git by {source.description}: it is {action} by a pull
        request on {where}, not in the cluster.
      </Alert>
    );
  }
  return (
    <Alert severity="info" data-testid="gitops-notice">
      Delivered through Git by {source.description}: it is not {action} here.
      The change must go through {where}.
    </Alert>
  );
}
