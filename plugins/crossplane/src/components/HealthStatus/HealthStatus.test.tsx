import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { HealthStatus as HealthStatusValue } from '../../api/types';
import { HealthStatus } from './HealthStatus';

describe('HealthStatus', () => {
  it.each([
    ['Healthy', 'status-ok'],
    ['Degraded', 'status-error'],
    ['Unknown', 'status-warning'],
    ['Progressing', 'status-running'],
    ['Deleting', 'status-pending'],
    ['Paused', 'status-aborted'],
  ] as [HealthStatusValue, string][])(
    'shows %s with the matching status icon',
    async (status, testId) => {
      await renderInTestApp(<HealthStatus health={{ status }} />);
      expect(screen.getByText(status)).toBeInTheDocument();
      expect(screen.getByTestId(testId)).toBeInTheDocument();
    },
  );

  it('can show the reason', async () => {
    await renderInTestApp(
      <HealthStatus
        health={{ status: 'Degraded', reason: 'ReconcileError' }}
        showReason
      />,
    );
    expect(screen.getByText('Degraded (ReconcileError)')).toBeInTheDocument();
  });
});
