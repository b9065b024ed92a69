export {
  CrossplaneErrorPanel,
  isNotAllowedError,
} from './CrossplaneErrorPanel';
