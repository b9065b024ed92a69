import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CrossplaneClusters } from '@platformops/plugin-crossplane-node';
import { createLifecycleAction } from '../lib/lifecycleAction';
import { examples } from './resume.examples';

/**
 * `crossplane:resume`: Resumes the reconciliation of a paused Crossplane claim, composite or managed resource.
 *
 * @public
 */
export function createCrossplaneResumeAction(options: {
  clusters: CrossplaneClusters;
  permissions: PermissionsService;
  auditor?: AuditorService;
}) {
  return createLifecycleAction({
    ...options,
    operation: 'resume',
    description:
      'Resumes the reconciliation of a paused Crossplane claim, composite or managed resource.',
    examples,
  });
}
