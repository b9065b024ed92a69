/**
 * Scaffolder actions for Crossplane: render, validate, apply, wait for and
 * delete claims and composite resources, and wait for their catalog entity.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCrossplane as default } from './module/scaffolderModuleCrossplane';
export { createCrossplaneApplyAction } from './actions/apply';
export { createCrossplaneAwaitEntityAction } from './actions/awaitEntity';
export { createCrossplaneDeleteAction } from './actions/delete';
export { createCrossplaneRenderAction } from './actions/render';
export { createCrossplaneWaitAction } from './actions/wait';
export { createCrossplanePauseAction } from './actions/pause';
export { createCrossplaneResumeAction } from './actions/resume';
export { createCrossplaneReconcileAction } from './actions/reconcile';
export { createCrossplaneEditAction } from './actions/edit';
export { createCrossplaneUpgradeAction } from './actions/upgrade';
