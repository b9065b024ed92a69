import Tooltip from '@material-ui/core/Tooltip';
import { ObjectRef } from '../../api/types';

/** `Kind namespace/name`, or `Kind name` for cluster-scoped objects. */
export function formatObjectRef(ref: ObjectRef): string {
  const name = ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
  return `${ref.kind} ${name}`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "5 minutes ago" for an RFC 3339 timestamp; the input when unparsable. */
export function formatRelative(value: string, now: number = Date.now()) {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  const diff = time - now;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') {
      return format.format(Math.round(diff / ms), unit);
    }
  }
  return value;
}

/** A timestamp shown relative to now, with the exact time as tooltip. */
export function Timestamp(props: { value?: string }) {
  const { value } = props;
  if (!value) return null;
  return (
    <Tooltip title={value}>
      <time dateTime={value}>{formatRelative(value)}</time>
    </Tooltip>
  );
}
