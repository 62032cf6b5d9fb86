import { describe, expect, it } from 'vitest';
import { createYoga, createSchema } from 'graphql-yoga';
import { useExecutionGate } from '../../src/graphql/execution-gate.js';

/** A schema whose one field waits until the test lets it go, so executions in flight can be counted. */
function gatedYoga(limit: number) {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const schema = createSchema({
    typeDefs: 'type Query { slow(n: Int!): Int! }',
    resolvers: {
      Query: {
        slow: async (_: unknown, { n }: { n: number }) => {
          running++;
          most = Math.max(most, running);
          started.push(n);
          await new Promise<void>((resolve) => releases.push(resolve));
          running--;
          if (n === 0) throw new Error('the first one fails');
          return n;
        },
      },
    },
  });
  const yoga = createYoga({ schema, plugins: [useExecutionGate(limit)], logging: false, maskedErrors: false });
  const ask = (n: number) => Promise.resolve(yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ slow(n: ${n}) }` }) })).then((r) => r.json());
  return { ask, started, releases, most: () => most };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('the execution gate (MAX_CONCURRENT_EXECUTIONS)', () => {
  it('runs at most its limit at once, the rest in the order they came, a failed one giving its turn on', async () => {
    const gate = gatedYoga(2);
    const answers = Promise.all([0, 1, 2, 3, 4].map((n) => gate.ask(n)));
    await tick();
    expect(gate.started).toEqual([0, 1]);
    gate.releases.shift()!(); // 0 fails
    await tick();
    expect(gate.started).toEqual([0, 1, 2]);
    while (gate.started.length < 5 || gate.releases.length) {
      gate.releases.shift()?.();
      await tick();
    }
    const results = await answers;
    expect(results[0]).toMatchObject({ errors: [{ message: 'the first one fails' }] });
    expect(results.slice(1)).toEqual([1, 2, 3, 4].map((n) => ({ data: { slow: n } })));
    expect(gate.started).toEqual([0, 1, 2, 3, 4]);
    expect(gate.most()).toBe(2);
  });
});
