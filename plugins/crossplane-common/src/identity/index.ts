export type { CrossplaneObjectId, ObjectIdInput } from './objectId';
export {
  apiVersionOf,
  describeObjectId,
  locatorOfId,
  objectIdKey,
  objectIdProblems,
  parseObjectId,
} from './objectId';
export { splitApiVersion } from '../model/util';
export { CROSSPLANE_ENTITY_ANNOTATIONS } from './entityAnnotations';
