/**
 * The field manager of every server-side apply PlatformOps makes: fields it
 * sets are owned by this name, so a re-run updates them and a conflicting
 * manager is reported instead of overwritten.
 */
export const FIELD_MANAGER = 'platformops';
