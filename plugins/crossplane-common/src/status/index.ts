export type * from './types';
export type * from './day2';
export type * from './rollup';
export type * from './createOptions';
