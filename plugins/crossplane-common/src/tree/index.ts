export type { ResourceTreeNode } from './types';
export type { ChildEntry, IndexOptions, ResourceIndex } from './resourceIndex';
export { indexResources } from './resourceIndex';
export { buildResourceTree, buildResourceTrees } from './buildResourceTree';
export type { IncrementalIndexOptions } from './incrementalIndex';
export { IncrementalResourceIndex } from './incrementalIndex';
