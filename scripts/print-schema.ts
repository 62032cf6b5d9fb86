import fs from 'node:fs';
import { printedSchema } from '../src/graphql/schema.js';

// Writes schema.graphql from the code; a test fails when the checked-in file differs.
fs.writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
console.log('schema.graphql written');
