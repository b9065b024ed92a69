import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';
import { getCrossplaneObjectLocator } from '../../conditions';

/** The object the current entity stands for, from its annotations. */
export function useEntityLocator() {
  const { entity } = useEntity();
  const locator = useMemo(() => getCrossplaneObjectLocator(entity), [entity]);
  return { entity, locator };
}
