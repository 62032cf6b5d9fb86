import type { Plugin } from 'graphql-yoga';

/**
 * At most `limit` GraphQL executions run at once; the others wait their turn, first come first
 * served. A process answers the same number of screens a second either way (one core), but each
 * execution holds its rows, Arrow listings and answer until it ends: sixteen interleaved screens
 * hold sixteen times that, the gateway's peak memory. Answers from the response cache and
 * subscriptions never wait.
 */
export function useExecutionGate(limit: number): Plugin {
  let running = 0;
  const waiting: (() => void)[] = [];
  const enter = () => (running < limit ? (running++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
  const leave = () => {
    const next = waiting.shift();
    if (next) next(); // the slot passes straight to the next in line
    else running--;
  };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        await enter();
        try {
          return await executeFn(args);
        } finally {
          leave();
        }
      });
    },
  };
}
