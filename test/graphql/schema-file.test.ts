import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema, isAbstractType } from 'graphql';
import { printedPossibleTypes, printedSchema } from '../../src/graphql/schema.js';

describe('schema.graphql', () => {
  it('is exactly what the code prints (run `npm run schema:print` after changing types)', () => {
    const checkedIn = fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(checkedIn).toBe(printedSchema());
  });
});

describe('possible-types.json', () => {
  it('is exactly what the code prints, and names every interface and union of schema.graphql with all their members', () => {
    const checkedIn = fs.readFileSync(new URL('../../possible-types.json', import.meta.url), 'utf8');
    expect(checkedIn).toBe(printedPossibleTypes());
    // against the checked-in schema itself, as a client would read both
    const schema = buildSchema(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
    const possible = JSON.parse(checkedIn) as Record<string, string[]>;
    for (const type of Object.values(schema.getTypeMap()).filter(isAbstractType)) {
      expect(possible[type.name], type.name).toEqual(schema.getPossibleTypes(type).map((t) => t.name).sort());
    }
    expect(possible.Error).toContain('NotFoundError');
    expect(possible.Node).toContain('BillingSyncItem');
  });
});
