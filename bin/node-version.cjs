/* global module */
// The Node.js version gate of `mdraft`, run before anything else is imported (see mdraft.js). Written in plain
// ES5 CommonJS on purpose: it must parse and run on any Node, so that an old runtime gets one clear line and
// exit code 2, never a syntax error or a missing `node:sqlite` reported as if the document were corrupt.
// Required: Node.js 22.5, the first release with `node:sqlite` (the embedded server's database); package.json
// `engines` says >=22.5 for the same reason.
'use strict';

var REQUIRED = [22, 5];

/** True when `version` ("22.5.0", "v24.1.0") is at least REQUIRED. */
function isSupported(version) {
  var parts = String(version).replace(/^v/, '').split('.');
  var major = parseInt(parts[0], 10) || 0;
  var minor = parseInt(parts[1], 10) || 0;
  return major > REQUIRED[0] || (major === REQUIRED[0] && minor >= REQUIRED[1]);
}

if (!isSupported(process.versions.node)) {
  var running = process.versions.node + ' (' + process.execPath + ')';
  process.stderr.write('mdraft: needs Node.js ' + REQUIRED.join('.') + ' or newer; this is Node.js ' + running + '.\n');
  process.exit(2);
}

module.exports = { isSupported: isSupported, REQUIRED: REQUIRED.join('.') };
