export type { ResourceTreeNode, ResourceTreeOptions } from './types';
export { ResourceIndex } from './resourceIndex';
export {
  buildResourceTree,
  buildResourceTrees,
  walkResourceTree,
} from './buildResourceTree';
