'use strict';
/* global document -- the lwc project's jsdom */
// Every LWC test (force-app/test/jest/lwc.js mounts the components): it fails when a component logged
// an error (LWC reports template and wire errors on console.error), and the next test starts on an
// empty document (jsdom is shared by a file's tests) with its mocks' calls cleared.
let consoleError;

beforeEach(() => {
  consoleError = jest.spyOn(console, 'error');
});

afterEach(() => {
  try {
    expect(consoleError).not.toHaveBeenCalled();
  } finally {
    consoleError.mockRestore();
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
    jest.clearAllMocks();
  }
});
