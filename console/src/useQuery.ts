import { useCallback, useEffect, useState } from 'react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { client, errorText } from './api';

/**
 * A screen's one query, from the console's normalized cache: loads on mount and whenever the
 * variables change, and shows every later change of the objects it holds (a write's answer) with
 * no request of its own; `reload` asks the gateway again. A partial answer (Arrow failing for one
 * field) shows its data and says what failed.
 */
export function useQuery<R, V>(doc: TypedDocumentNode<R, V>, variables: V) {
  const [data, setData] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(variables);
  useEffect(() => {
    setLoading(true);
    const { unsubscribe } = client.query(doc, JSON.parse(key) as V & object).subscribe((result) => {
      if (result.data) setData(result.data as R);
      setError(result.error ? errorText(result.error) : null);
      setLoading(result.stale);
    });
    return unsubscribe;
  }, [doc, key]);
  const reload = useCallback(async () => void (await client.query(doc, JSON.parse(key) as V & object, { requestPolicy: 'network-only' }).toPromise()), [doc, key]);
  return { data, error, loading, reload };
}
