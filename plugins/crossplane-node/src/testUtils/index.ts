/**
 * Test utilities for code that uses PlatformOps cluster access.
 *
 * @packageDocumentation
 */
export { InMemoryClusterClient } from './InMemoryClusterClient';
export { waitFor } from './waitFor';
export { bucketXrd, postgresXrd } from './xrds';
export {
  largeProviderCrds,
  largeProviderObject,
  type LargeProviderOptions,
} from './largeProvider';
export { connectionsToPort, openFileDescriptors } from './processSockets';
