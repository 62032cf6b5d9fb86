#!/usr/bin/env node
// A Prisma generator that writes the datamodel part of the DMMF to a JSON file, so a test can
// compare what schema.prisma describes with what the migrations build (test/db/schema-matches.test.ts).
const fs = require('node:fs');
const path = require('node:path');
const { generatorHandler } = require('@prisma/generator-helper');

generatorHandler({
  onManifest: () => ({ prettyName: 'DMMF datamodel (for tests)', defaultOutput: '../src/generated/dmmf.json' }),
  onGenerate: async (options) => {
    const out = options.generator.output.value;
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(options.dmmf.datamodel, null, 1));
  },
});
