// Worker-thread entry for pool.ts. Worker threads do not inherit vitest's or tsx's module
// transform, so register tsx here before loading the TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
