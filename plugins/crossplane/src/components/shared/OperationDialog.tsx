import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/**
 * The frame of an operation's dialog: a title, the content, why the last
 * request failed (the backend's message), and the actions. `name` makes
 * its stable test id, `crossplane-<name>-dialog`.
 */
export function OperationDialog(props: {
  name: string;
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  failure?: string;
  actions: ReactNode;
  children: ReactNode;
}) {
  const { name, title, open, onClose, failure, actions, children } = props;
  const titleId = `crossplane-${name}-title`;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
      data-testid={`crossplane-${name}-dialog`}
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {children}
        {failure && (
          <Typography variant="body2" color="error" role="alert">
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>{actions}</DialogActions>
    </Dialog>
  );
}
