/**
 * Scaffolder actions for Crossplane: render, validate, apply, wait and delete
 * claims and composite resources.
 *
 * @packageDocumentation
 */

export { scaffolderModuleCrossplane as default } from './module/scaffolderModuleCrossplane';
export { createCrossplaneApplyAction } from './actions/apply';
export { createCrossplaneDeleteAction } from './actions/delete';
export { createCrossplaneRenderAction } from './actions/render';
export { createCrossplaneWaitAction } from './actions/wait';
