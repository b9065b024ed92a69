import { createApp } from '@backstage/frontend-defaults';
import { homeModule } from './modules/home';
import { navModule } from './modules/nav';

// Plugins are discovered from this package's dependencies
// (`app.packages: all` in app-config.yaml); only app-local modules go here.
export default createApp({
  features: [navModule, homeModule],
});
