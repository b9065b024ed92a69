import Alert from '@material-ui/lab/Alert';

/**
 * Says which pull request an edit or delete of an object Git delivers
 * opened: the cluster changes once it is merged and synced.
 */
export function PullRequestOpened(props: {
  pullRequest: { url: string; number: number };
}) {
  const { url, number } = props.pullRequest;
  return (
    <Alert severity="success" data-testid="pull-request-opened">
      Pull request{' '}
      <a href={url} target="_blank" rel="noopener noreferrer">
        #{number}
      </a>{' '}
      opened: the cluster changes once it is merged and synced.
    </Alert>
  );
}
