import {
  DependencyGraph,
  DependencyGraphTypes,
  InfoCard,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossplaneApiRef } from '../../api/CrossplaneApi';
import { CrossplaneErrorPanel } from '../CrossplaneErrorPanel';
import { HealthStatus, healthColor } from '../HealthStatus';
import { formatObjectRef } from '../shared/format';
import { MissingObjectAnnotations } from '../shared/MissingObjectAnnotations';
import { useEntityLocator } from '../shared/useEntityLocator';
import { toGraph, TreeGraphEdgeData, TreeGraphNodeData } from './treeGraph';
import { TreeNodeView } from './TreeNodeView';

const useStyles = makeStyles({
  graph: { width: '100%', minHeight: 360 },
});

/**
 * The resource tree of the entity's Crossplane object as a graph: claim,
 * composite, composed resources and connection secrets, each with its
 * health; the path to the resource responsible for the tree's health is
 * highlighted, and resources with a catalog entity link to it.
 */
export function EntityCrossplaneResourceTreeContent() {
  const classes = useStyles();
  const theme = useTheme();
  const { locator } = useEntityLocator();
  const api = useApi(crossplaneApiRef);
  const { value, loading, error } = useAsync(
    async () => (locator ? api.getTree(locator) : undefined),
    [api, JSON.stringify(locator)],
  );
  const graph = useMemo(() => (value ? toGraph(value) : undefined), [value]);

  if (!locator) return <MissingObjectAnnotations />;
  if (loading) return <Progress />;
  if (error) return <CrossplaneErrorPanel error={error} />;
  if (!value || !graph) return null;

  const culprit = value.culpritPath?.[value.culpritPath.length - 1];
  const renderEdge = ({
    edge,
    id,
  }: DependencyGraphTypes.RenderEdgeProps<TreeGraphEdgeData>) => {
    const path = edge.points
      .filter(p => Number.isFinite(p.x) && Number.isFinite(p.y))
      .map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`)
      .join(' ');
    return (
      <path
        key={`${id.v}-${id.w}`}
        d={path}
        data-testid="crossplane-tree-edge"
        data-culprit={edge.onCulpritPath}
        fill="none"
        stroke={
          edge.onCulpritPath
            ? healthColor(theme, value.rolledUpHealth.status)
            : theme.palette.text.disabled
        }
        strokeWidth={edge.onCulpritPath ? 3 : 1.3}
      />
    );
  };

  return (
    <InfoCard
      title="Resource tree"
      subheader={
        <Box display="flex" alignItems="center" flexWrap="wrap">
          <HealthStatus health={value.rolledUpHealth} showReason />
          {culprit && value.culpritPath && value.culpritPath.length > 1 && (
            <Typography variant="body2" component="span">
              &nbsp;because of {formatObjectRef(culprit)}
              {value.rolledUpHealth.message
                ? `: ${value.rolledUpHealth.message}`
                : ''}
            </Typography>
          )}
        </Box>
      }
    >
      <DependencyGraph<TreeGraphNodeData, TreeGraphEdgeData>
        className={classes.graph}
        nodes={graph.nodes}
        edges={graph.edges}
        renderNode={TreeNodeView}
        renderEdge={renderEdge}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        rankMargin={80}
        nodeMargin={20}
        zoom="enable-on-click"
        fit="contain"
      />
    </InfoCard>
  );
}
