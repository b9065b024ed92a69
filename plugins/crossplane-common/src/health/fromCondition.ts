import { Condition } from '../model/types';
import { Health } from './types';

/** A health value decided by one condition, with its reason, message and time. */
export function fromCondition(status: Health['status'], c: Condition): Health {
  const h: Health = { status, condition: c.type };
  if (c.reason) h.reason = c.reason;
  if (c.message) h.message = c.message;
  if (c.lastTransitionTime) h.since = c.lastTransitionTime;
  return h;
}
