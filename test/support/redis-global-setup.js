export { setup as default } from './redis-global.js';
