export { freePort } from './redis-binary.js';
