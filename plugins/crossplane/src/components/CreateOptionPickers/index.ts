export { CrossplaneNamespacePicker } from './CrossplaneNamespacePicker';
export { CrossplaneCompositionPicker } from './CrossplaneCompositionPicker';
