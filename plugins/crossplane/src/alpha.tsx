import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import DeviceHubIcon from '@material-ui/icons/DeviceHub';
import { crossplaneApiRef } from './api/CrossplaneApi';
import {
  createCrossplaneClient,
  crossplaneClientDeps,
} from './api/crossplaneClientFactory';
import {
  isServiceEntity,
  isServiceGroupEntity,
} from './components/ServicePage/isServiceEntity';
import { CROSSPLANE_CLUSTER_ANNOTATION } from './conditions';
import { rootRouteRef } from './routes';

/**
 * The entity filter of every entity card and content of the plugin: only
 * entities with the `platformops.io/cluster` annotation.
 *
 * @alpha
 */
export const crossplaneEntityFilter = {
  [`metadata.annotations.${CROSSPLANE_CLUSTER_ANNOTATION}` as const]: {
    $exists: true,
  },
};

/**
 * The API client, for the new frontend system.
 *
 * @alpha
 */
export const crossplaneApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: crossplaneApiRef,
      deps: crossplaneClientDeps,
      factory: createCrossplaneClient,
    }),
});

/**
 * The control-plane page at /crossplane; its title and icon make the nav
 * item.
 *
 * @alpha
 */
export const crossplaneControlPlanePage = PageBlueprint.make({
  params: {
    path: '/crossplane',
    title: 'Control plane',
    icon: <DeviceHubIcon />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/ControlPlanePage').then(m => <m.ControlPlanePage />),
  },
});

/**
 * Entity card with the live health, reason, message and conditions of the
 * entity's Crossplane object.
 *
 * @alpha
 */
export const crossplaneEntityStatusCard = EntityCardBlueprint.make({
  name: 'status',
  params: {
    type: 'info',
    filter: crossplaneEntityFilter,
    loader: () =>
      import('./components/EntityCrossplaneStatusCard').then(m => (
        <m.EntityCrossplaneStatusCard />
      )),
  },
});

/**
 * Entity card with the events of the entity's resource tree, warnings
 * first.
 *
 * @alpha
 */
export const crossplaneEntityEventsCard = EntityCardBlueprint.make({
  name: 'events',
  params: {
    type: 'content',
    filter: crossplaneEntityFilter,
    loader: () =>
      import('./components/EntityCrossplaneEventsCard').then(m => (
        <m.EntityCrossplaneEventsCard />
      )),
  },
});

/**
 * Entity card with the object's timeline: audit records, events and field
 * managers, newest first.
 *
 * @alpha
 */
export const crossplaneEntityTimelineCard = EntityCardBlueprint.make({
  name: 'timeline',
  params: {
    type: 'content',
    filter: crossplaneEntityFilter,
    loader: () =>
      import('./components/EntityCrossplaneTimelineCard').then(m => (
        <m.EntityCrossplaneTimelineCard />
      )),
  },
});

/**
 * Entity tab "Resources" with the resource tree graph.
 *
 * @alpha
 */
export const crossplaneEntityResourceTreeContent = EntityContentBlueprint.make({
  name: 'resource-tree',
  params: {
    path: '/crossplane',
    title: 'Resources',
    group: 'deployment',
    filter: crossplaneEntityFilter,
    loader: () =>
      import('./components/EntityCrossplaneResourceTreeContent').then(m => (
        <m.EntityCrossplaneResourceTreeContent />
      )),
  },
});

/**
 * Entity tab "YAML" with the object's redacted YAML.
 *
 * @alpha
 */
export const crossplaneEntityYamlContent = EntityContentBlueprint.make({
  name: 'yaml',
  params: {
    path: '/crossplane-yaml',
    title: 'YAML',
    group: 'deployment',
    filter: crossplaneEntityFilter,
    loader: () =>
      import('./components/EntityCrossplaneYamlContent').then(m => (
        <m.EntityCrossplaneYamlContent />
      )),
  },
});

/**
 * Entity tab "Service health" of a service: its roll-up full width (pods,
 * the Crossplane resources it depends on, pipeline runs, the cause named)
 * and the status and events of the Crossplane object it names, if any.
 *
 * @alpha
 */
export const crossplaneEntityServiceContent = EntityContentBlueprint.make({
  name: 'service',
  params: {
    path: '/service-health',
    title: 'Service health',
    filter: isServiceEntity,
    loader: () =>
      import('./components/ServicePage').then(m => <m.EntityServicePage />),
  },
});

/**
 * Entity card with the roll-up of a System's, Group's or User's services,
 * worst first, the cause named.
 *
 * @alpha
 */
export const crossplaneEntityRollupCard = EntityCardBlueprint.make({
  name: 'rollup',
  params: {
    type: 'content',
    filter: isServiceGroupEntity,
    loader: () =>
      import('./components/RollupCard').then(m => (
        <m.EntityServiceRollupCard />
      )),
  },
});

/**
 * The PlatformOps frontend plugin for Backstage's new frontend system: the
 * API, the control-plane page, and entity cards and tabs for entities with
 * the `platformops.io/cluster` annotation.
 *
 * @alpha
 */
/**
 * Scaffolder form field of a generated template's "Review" step: the
 * manifest the form creates and the API server's dry run of it.
 *
 * @alpha
 */
export const crossplaneManifestPreviewFormField = FormFieldBlueprint.make({
  name: 'manifest-preview',
  params: {
    field: () =>
      import('./components/ManifestPreviewField/formField').then(
        m => m.manifestPreviewFormField,
      ),
  },
});

/**
 * Scaffolder form field of a generated template's namespace: the
 * namespaces where the user may create the XRD's claim or XR.
 *
 * @alpha
 */
export const crossplaneNamespacePickerFormField = FormFieldBlueprint.make({
  name: 'namespace-picker',
  params: {
    field: () =>
      import('./components/CreateOptionPickers/formFields').then(
        m => m.namespacePickerFormField,
      ),
  },
});

/**
 * Scaffolder form field of a generated template's Composition: the
 * Compositions of the XRD's composite type.
 *
 * @alpha
 */
export const crossplaneCompositionPickerFormField = FormFieldBlueprint.make({
  name: 'composition-picker',
  params: {
    field: () =>
      import('./components/CreateOptionPickers/formFields').then(
        m => m.compositionPickerFormField,
      ),
  },
});

export default createFrontendPlugin({
  pluginId: 'crossplane',
  title: 'Control plane',
  icon: <DeviceHubIcon />,
  extensions: [
    crossplaneApi,
    crossplaneControlPlanePage,
    crossplaneEntityStatusCard,
    crossplaneEntityEventsCard,
    crossplaneEntityTimelineCard,
    crossplaneEntityResourceTreeContent,
    crossplaneEntityYamlContent,
    crossplaneEntityServiceContent,
    crossplaneEntityRollupCard,
    crossplaneManifestPreviewFormField,
    crossplaneNamespacePickerFormField,
    crossplaneCompositionPickerFormField,
  ],
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
});
