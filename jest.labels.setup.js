'use strict';
// Gives LWC tests the real text of our custom labels (sfdx-lwc-jest would otherwise import each
// @salesforce/label/c.X as the string "c.X"), so tests assert what a rep actually reads.
const fs = require('fs');
const path = require('path');
const { XMLParser } = require('fast-xml-parser');

const file = path.join(__dirname, 'force-app/main/default/labels/CustomLabels.labels-meta.xml');
if (fs.existsSync(file)) {
  const parsed = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false }).parse(
    fs.readFileSync(file, 'utf8'),
  );
  for (const label of parsed.CustomLabels.labels || []) {
    // A browser renders runs of whitespace as single spaces.
    const value = String(label.value).replace(/\s+/g, ' ').trim();
    jest.doMock(`@salesforce/label/c.${label.fullName}`, () => ({ default: value }), { virtual: true });
  }
}
