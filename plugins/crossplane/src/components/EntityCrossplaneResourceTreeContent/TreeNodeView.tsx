import { DependencyGraphTypes, Link } from '@backstage/core-components';
import { useEntityRefLink } from '@backstage/plugin-catalog-react';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { useLayoutEffect, useRef, useState } from 'react';
import { healthColor } from '../HealthStatus';
import { TreeGraphNodeData } from './treeGraph';

const useStyles = makeStyles(theme => ({
  box: { fill: theme.palette.background.paper },
  kind: { fill: theme.palette.text.secondary, fontSize: 12 },
  name: { fill: theme.palette.text.primary, fontSize: 14, fontWeight: 600 },
  status: { fontSize: 12 },
  link: { cursor: 'pointer' },
}));

const PADDING = 10;

/** One resource in the tree graph: kind, name and health. */
export function TreeNodeView(
  props: DependencyGraphTypes.RenderNodeProps<TreeGraphNodeData>,
) {
  const { node: data } = props;
  const { node, onCulpritPath, isRoot } = data;
  const classes = useStyles();
  const theme = useTheme();
  const entityLink = useEntityRefLink();
  const textRef = useRef<SVGGElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useLayoutEffect(() => {
    if (!textRef.current) return;
    const box = textRef.current.getBBox();
    const width = Math.round(box.width);
    const height = Math.round(box.height);
    if (width !== size.width || height !== size.height) {
      setSize({ width, height });
    }
  }, [size.width, size.height]);

  const health = node.health;
  const color = healthColor(theme, node.missing ? 'Unknown' : health.status);
  const statusText = node.missing
    ? 'Missing'
    : `${health.status}${health.reason ? ` (${health.reason})` : ''}`;
  const width = Math.max(size.width, 120) + PADDING * 2;
  const height = 54 + PADDING * 2;

  const body = (
    <g data-testid="crossplane-tree-node" data-culprit={onCulpritPath}>
      <title>
        {[
          `${node.ref.kind} ${
            node.ref.namespace ? `${node.ref.namespace}/` : ''
          }${node.ref.name}`,
          statusText,
          health.message,
        ]
          .filter(Boolean)
          .join('\n')}
      </title>
      <rect
        className={classes.box}
        width={width}
        height={height}
        rx={8}
        stroke={color}
        strokeWidth={onCulpritPath && !isRoot ? 4 : 1.5}
        strokeDasharray={node.missing ? '6 4' : undefined}
      />
      <g ref={textRef}>
        <text className={classes.kind} x={PADDING} y={PADDING + 12}>
          {node.ref.kind}
        </text>
        <text className={classes.name} x={PADDING} y={PADDING + 32}>
          {node.ref.name}
        </text>
        <text
          className={classes.status}
          x={PADDING}
          y={PADDING + 50}
          fill={color}
        >
          {statusText}
        </text>
      </g>
    </g>
  );

  if (!node.entityRef) return body;
  return (
    <Link to={entityLink(node.entityRef)} className={classes.link}>
      {body}
    </Link>
  );
}
