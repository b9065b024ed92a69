import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { CrossplaneSummaryFilters } from '../../api/types';
import { FILTER_KEYS, FilterKey } from './resources';

const LABELS: Record<FilterKey, string> = {
  cluster: 'Cluster',
  xrd: 'XRD',
  owner: 'Owner',
  namespace: 'Namespace',
};

/** Multi-select filters by cluster, XRD, owner and namespace. */
export function ResourceFilters(props: {
  options: Record<FilterKey, string[]>;
  value: CrossplaneSummaryFilters;
  onChange: (filters: CrossplaneSummaryFilters) => void;
}) {
  const { options, value, onChange } = props;
  return (
    <Grid container spacing={2}>
      {FILTER_KEYS.map(key => (
        <Grid item xs={12} sm={6} md={3} key={key}>
          <Autocomplete<string, true>
            multiple
            size="small"
            options={options[key]}
            value={value[key] ?? []}
            onChange={(_, selected) => onChange({ ...value, [key]: selected })}
            renderInput={params => (
              <TextField {...params} variant="outlined" label={LABELS[key]} />
            )}
          />
        </Grid>
      ))}
    </Grid>
  );
}
