import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { createLifecycleAction } from '../lib/lifecycleAction';
import { examples } from './reconcile.examples';

/**
 * `crossplane:reconcile`: Makes Crossplane and the provider reconcile a claim, composite or managed resource (and what it composes) at once, and reports the conditions after it.
 *
 * @public
 */
export function createCrossplaneReconcileAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
}) {
  return createLifecycleAction({
    ...options,
    operation: 'reconcile',
    description:
      'Makes Crossplane and the provider reconcile a claim, composite or managed resource (and what it composes) at once, and reports the conditions after it.',
    examples,
  });
}
