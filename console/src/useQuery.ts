import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execute } from './api';

/**
 * A screen's one query: loads on mount and whenever the variables change; `reload` after actions.
 * A partial answer (Arrow failing for one field) shows its data and says what failed.
 */
export function useQuery<R, V>(doc: TypedDocumentNode<R, V>, variables: V) {
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(variables);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      const answer = await execute(doc, JSON.parse(key) as V);
      if (answer.data) setData(answer.data);
      setError(answer.errors?.length ? answer.errors.map((e) => (e.path ? `${e.path.join('.')}: ${e.message}` : e.message)).join('; ') : null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, [doc, key]);
  useEffect(() => void load(), [load]);
  return { data, error, loading, reload: load };
}
