export { freePort } from './redis-process.js';
