import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: '0.85rem',
    whiteSpace: 'pre',
    overflowX: 'auto',
    margin: 0,
    padding: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
  },
  added: { color: theme.palette.success.dark, display: 'block' },
  removed: { color: theme.palette.error.dark, display: 'block' },
  hunk: { color: theme.palette.text.secondary, display: 'block' },
  context: { display: 'block' },
}));

/** Which kind of line of a unified diff a line is. */
export function diffLineKind(
  line: string,
): 'added' | 'removed' | 'hunk' | 'context' {
  if (line.startsWith('+++') || line.startsWith('---')) return 'hunk';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}

/** A unified diff in monospace, added lines green and removed ones red. */
export function DiffView(props: { diff: string }) {
  const classes = useStyles();
  const lines = props.diff.replace(/\n$/, '').split('\n');
  return (
    <pre className={classes.diff} data-testid="edit-diff">
      {lines.map((line, index) => {
        const kind = diffLineKind(line);
        return (
          <span key={index} className={classes[kind]} data-diff={kind}>
            {line || ' '}
          </span>
        );
      })}
    </pre>
  );
}
