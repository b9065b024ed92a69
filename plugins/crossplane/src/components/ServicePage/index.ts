export { EntityServicePage } from './EntityServicePage';
export { isServiceEntity, isServiceGroupEntity } from './isServiceEntity';
