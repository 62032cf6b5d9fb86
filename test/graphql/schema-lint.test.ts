import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType, type GraphQLNamedType } from 'graphql';

/**
 * The schema as a client's tooling reads it (schema.graphql), held to the rules graphql-eslint's
 * Relay and description rules check: every connection's node can be refetched (implements Node),
 * and every public type, field, argument, input field and enum value says what it is.
 */
const schema = buildSchema(fs.readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const types = Object.values(schema.getTypeMap()).filter((t) => !t.name.startsWith('__') && !(isScalarType(t) && isSpecifiedScalarType(t)));

describe('schema lint', () => {
  it("every connection's node implements Node, with an id", () => {
    const nodeless: string[] = [];
    for (const t of types.filter((t) => isObjectType(t) && t.name.endsWith('Connection'))) {
      const edges = (t as import('graphql').GraphQLObjectType).getFields().edges;
      if (!edges) continue;
      const node = (getNamedType(edges.type) as import('graphql').GraphQLObjectType).getFields().node;
      const nodeType = getNamedType(node!.type) as GraphQLNamedType;
      if (!isObjectType(nodeType) || !nodeType.getInterfaces().some((i) => i.name === 'Node')) nodeless.push(`${t.name} → ${nodeType.name}`);
    }
    expect(nodeless).toEqual([]);
  });

  it('every object a client caches has an id: types with a uuid have one too', () => {
    const idless = types.filter((t) => (isObjectType(t) || isInterfaceType(t)) && 'uuid' in t.getFields() && !('id' in t.getFields())).map((t) => t.name);
    expect(idless).toEqual([]);
  });

  it('every public type, field, argument, input field and enum value has a description', () => {
    const missing: string[] = [];
    for (const t of types) {
      if (!t.description) missing.push(t.name);
      if (isObjectType(t) || isInterfaceType(t)) {
        for (const f of Object.values(t.getFields())) {
          if (!f.description) missing.push(`${t.name}.${f.name}`);
          for (const a of f.args) if (!a.description) missing.push(`${t.name}.${f.name}(${a.name})`);
        }
      }
      if (isInputObjectType(t)) for (const f of Object.values(t.getFields())) if (!f.description) missing.push(`${t.name}.${f.name}`);
      if (isEnumType(t)) for (const v of t.getValues()) if (!v.description) missing.push(`${t.name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});
