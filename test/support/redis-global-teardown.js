export { teardown as default } from './redis-global.js';
