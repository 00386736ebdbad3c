/** Wire protocol v1, shared by the server and every client. */
export * from './messages.js';
export * from './errors.js';
export * from './decode.js';
export * from './limits.js';
