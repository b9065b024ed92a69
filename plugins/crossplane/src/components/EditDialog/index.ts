export { EditDialog, EditResultView } from './EditDialog';
