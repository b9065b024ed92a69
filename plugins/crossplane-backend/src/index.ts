/**
 * The PlatformOps status backend plugin.
 *
 * @packageDocumentation
 */

export { crossplanePlugin as default } from './plugin';
