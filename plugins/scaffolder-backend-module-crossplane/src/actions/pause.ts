import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { createLifecycleAction } from '../lib/lifecycleAction';
import { examples } from './pause.examples';

/**
 * `crossplane:pause`: Pauses the reconciliation of a Crossplane claim, composite or managed resource (crossplane.io/paused).
 *
 * @public
 */
export function createCrossplanePauseAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
}) {
  return createLifecycleAction({
    ...options,
    operation: 'pause',
    description:
      'Pauses the reconciliation of a Crossplane claim, composite or managed resource (crossplane.io/paused).',
    examples,
  });
}
