import { ConflictError } from '@backstage/errors';
import { fieldConflictsOf } from './fieldConflicts';

describe('fieldConflictsOf', () => {
  it('maps the causes of a 409 Status to fields and managers', () => {
    expect(
      fieldConflictsOf({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 409,
        reason: 'Conflict',
        message:
          'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using storage.example.org/v1alpha1:\n- .spec.parameters.region\nconflicts with "argocd-controller":\n- .spec.parameters.size',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message:
                'conflict with "kubectl-edit" using storage.example.org/v1alpha1 at 2026-12-05T10:00:00Z',
              field: '.spec.parameters.region',
            },
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "argocd-controller"',
              field: '.spec.parameters.size',
            },
          ],
        },
      }),
    ).toEqual([
      { field: 'spec.parameters.region', manager: 'kubectl-edit' },
      { field: 'spec.parameters.size', manager: 'argocd-controller' },
    ]);
  });

  it('reads the message when only it is left, as in a wrapped error', () => {
    expect(
      fieldConflictsOf(
        new ConflictError(
          'cluster east: apply Bucket team-a/logs: Apply failed with 1 conflict: conflict with "edit-test" using storage.example.org/v1alpha1 at 2026-12-05T10:00:00Z: .spec.parameters.region',
        ),
      ),
    ).toEqual([{ field: 'spec.parameters.region', manager: 'edit-test' }]);
    expect(
      fieldConflictsOf({
        message:
          'Apply failed with 3 conflicts: conflicts with "a":\n- .spec.x\n- .spec.y\nconflicts with "b" with subresource "status":\n- .spec.z',
      }),
    ).toEqual([
      { field: 'spec.x', manager: 'a' },
      { field: 'spec.y', manager: 'a' },
      { field: 'spec.z', manager: 'b' },
    ]);
  });

  it('is empty for any other answer', () => {
    expect(fieldConflictsOf(undefined)).toEqual([]);
    expect(
      fieldConflictsOf({
        code: 409,
        message: 'Operation cannot be fulfilled: the object has been modified',
      }),
    ).toEqual([]);
  });
});
