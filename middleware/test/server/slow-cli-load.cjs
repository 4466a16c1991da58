'use strict';
// Preloaded (NODE_OPTIONS=--require) by serve-process.test.ts: loading the CLI's modules takes 1.5 s,
// as on a slow or busy machine, and "loading the CLI" on stderr tells the test it has begun. A signal
// sent then arrives while Node is still loading, before `serve` registers its own handlers.
const Module = require('module');
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/[\\/]cli[\\/]main\.js$/.test(request)) {
    process.stderr.write('loading the CLI\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
  }
  return load.call(this, request, ...rest);
};
