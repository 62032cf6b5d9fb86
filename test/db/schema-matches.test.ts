import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/db.js';

interface DmmfField {
  name: string;
  dbName: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  isUnique: boolean;
  nativeType: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  uniqueFields: string[][];
}
const dmmf = JSON.parse(fs.readFileSync(new URL('../../src/generated/dmmf.json', import.meta.url), 'utf8')) as {
  models: DmmfModel[];
  enums: { name: string; values: { name: string }[] }[];
};

/** The PostgreSQL type a Prisma field should have, as information_schema spells it. */
function expectedType(field: DmmfField): string {
  if (field.kind === 'enum') return `USER-DEFINED:${field.type}`;
  const native = field.nativeType?.[0];
  if (native === 'Uuid') return 'uuid';
  if (native === 'Date') return 'date';
  if (native === 'Timestamptz') return 'timestamp with time zone';
  if (native === 'Decimal') return `numeric(${field.nativeType![1].join(',')})`;
  const defaults: Record<string, string> = {
    String: 'text', Boolean: 'boolean', Int: 'integer', BigInt: 'bigint', Float: 'double precision',
    DateTime: 'timestamp without time zone', Json: 'jsonb', Decimal: 'numeric(65,30)',
  };
  return defaults[field.type] ?? `unknown:${field.type}`;
}

describe.each(databaseKinds)('migrations build exactly schema.prisma (%s)', (kind) => {
  let t: TestDatabase;
  const sql = <T>(text: string) => t.db.prisma.$queryRawUnsafe<T[]>(text);
  beforeAll(async () => {
    t = await createTestDatabase(kind);
  });
  afterAll(() => t.drop());

  it('has every model as a table with exactly its columns, types and nullability', async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string; numeric_precision: number | null; numeric_scale: number | null }>(
      `SELECT table_name, column_name, data_type, udt_name, is_nullable, numeric_precision, numeric_scale
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = new Map<string, string>();
    for (const c of columns) {
      const type =
        c.data_type === 'USER-DEFINED' ? `USER-DEFINED:${c.udt_name}`
        : c.data_type === 'numeric' ? `numeric(${c.numeric_precision},${c.numeric_scale})`
        : c.data_type;
      actual.set(`${c.table_name}.${c.column_name}`, `${type} ${c.is_nullable === 'NO' ? 'NOT NULL' : 'NULL'}`);
    }
    const expected = new Map<string, string>();
    for (const model of dmmf.models) {
      for (const field of model.fields.filter((f) => f.kind !== 'object')) {
        expected.set(`${model.dbName ?? model.name}.${field.dbName ?? field.name}`, `${expectedType(field)} ${field.isRequired ? 'NOT NULL' : 'NULL'}`);
      }
    }
    expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  });

  it('has exactly the primary keys and unique constraints the schema declares', async () => {
    const indexes = await sql<{ table_name: string; columns: string; is_primary: boolean }>(
      `SELECT t.relname AS table_name, i.indisprimary AS is_primary,
              string_agg(a.attname, ',' ORDER BY array_position(i.indkey, a.attnum)) AS columns
         FROM pg_index i
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
        WHERE i.indisunique AND t.relname <> '_prisma_migrations'
        GROUP BY t.relname, i.indexrelid, i.indisprimary`,
    );
    const actual = indexes.map((i) => `${i.table_name}(${i.columns})${i.is_primary ? ' PK' : ''}`).sort();
    const expected: string[] = [];
    for (const model of dmmf.models) {
      const table = model.dbName ?? model.name;
      const col = (name: string) => {
        const f = model.fields.find((x) => x.name === name)!;
        return f.dbName ?? f.name;
      };
      for (const f of model.fields) {
        if (f.isId) expected.push(`${table}(${col(f.name)}) PK`);
        if (f.isUnique) expected.push(`${table}(${col(f.name)})`);
      }
      for (const u of model.uniqueFields) expected.push(`${table}(${u.map(col).join(',')})`);
    }
    expect(actual).toEqual(expected.sort());
  });

  it('has every enum with exactly its values', async () => {
    const rows = await sql<{ name: string; value: string }>(
      `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY t.typname, e.enumsortorder`,
    );
    const actual: Record<string, string[]> = {};
    for (const r of rows) (actual[r.name] ??= []).push(r.value);
    const expected = Object.fromEntries(dmmf.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has a table for every model and no other', async () => {
    const tables = await sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(dmmf.models.map((m) => m.dbName ?? m.name).sort());
  });
});
