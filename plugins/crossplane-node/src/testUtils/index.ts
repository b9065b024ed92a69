/**
 * Test utilities for code that uses PlatformOps cluster access.
 *
 * @packageDocumentation
 */
export { InMemoryClusterClient } from './InMemoryClusterClient';
export { waitFor } from './waitFor';
export { postgresXrd } from './xrds';
