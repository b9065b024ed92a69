export type * from './types';
export type * from './day2';
