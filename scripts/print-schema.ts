import fs from 'node:fs';
import { printedPossibleTypes, printedSchema } from '../src/graphql/schema.js';

// Writes schema.graphql and possible-types.json from the code; a test fails when a checked-in file differs.
fs.writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
fs.writeFileSync(new URL('../possible-types.json', import.meta.url), printedPossibleTypes());
console.log('schema.graphql and possible-types.json written');
