/**
 * The Crossplane domain model shared by every PlatformOps package: pure
 * TypeScript with no I/O, so that backend and frontend interpret Crossplane
 * objects the same way.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './identity';
export * from './model';
export * from './form';
export * from './render';
export * from './policy';
export * from './health';
export * from './validate';
export * from './tree';
export * from './redact';
export * from './status';
export * from './mapping';
