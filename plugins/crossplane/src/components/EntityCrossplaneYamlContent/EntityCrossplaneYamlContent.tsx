import { CodeSnippet, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { formatObjectRef } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';

/**
 * The entity's Crossplane object as YAML, as the cluster has it (secrets
 * redacted by the backend).
 */
export function EntityCrossplaneYamlContent() {
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const { value, loading, error } = useAsync(
    async () => (locator ? api.getYaml(locator) : undefined),
    [api, JSON.stringify(locator)],
  );

  if (!locator) return <MissingObjectAnnotations />;
  if (loading) return <Progress />;
  if (error) return <CrossplaneErrorPanel error={error} />;

  return (
    <InfoCard
      title="YAML"
      subheader={`${formatObjectRef(locator)} in ${locator.cluster}`}
    >
      <CodeSnippet
        text={value ?? ''}
        language="yaml"
        showLineNumbers
        showCopyCodeButton
      />
    </InfoCard>
  );
}
