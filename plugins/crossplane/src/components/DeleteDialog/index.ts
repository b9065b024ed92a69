export { DeleteDialog, DeletionImpactView, describeFate } from './DeleteDialog';
