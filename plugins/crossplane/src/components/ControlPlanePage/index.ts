export {
  ControlPlanePage,
  ControlPlanePageWithHeader,
} from './ControlPlanePage';
export type { ControlPlanePageProps } from './ControlPlanePage';
