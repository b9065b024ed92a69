import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { StatusSignal } from '../../api/types';

/**
 * A signal's name, linking to its catalog entity when it has one,
 * otherwise to where it says to look further.
 */
export function SignalName(props: {
  signal: Pick<StatusSignal, 'name' | 'entityRef' | 'link'>;
}) {
  const { name, entityRef, link } = props.signal;
  if (entityRef) {
    return <EntityRefLink entityRef={entityRef}>{name}</EntityRefLink>;
  }
  if (link) return <Link to={link}>{name}</Link>;
  return <>{name}</>;
}
