export { demoPermissionPolicyModule } from './demoPermissionPolicyModule';
