import type { ArrowCustomer } from '../arrow/client.js';

/**
 * The Arrow customer a mapping means: the same reference, or `XSP` + the reference, or the same
 * InternalReference ignoring case, or a CompanyName equal to the Waldur customer's name ignoring case.
 */
export function findArrowCustomer(customers: ArrowCustomer[], arrowReference: string, waldurCustomerName: string): ArrowCustomer | null {
  const ref = arrowReference.trim();
  const name = waldurCustomerName.trim().toLowerCase();
  const index = customerIndexOf(customers);
  return index.byReference.get(ref) ?? index.byReference.get(`XSP${ref}`) ?? index.byInternalReference.get(ref.toLowerCase()) ?? (name ? index.byName.get(name) : undefined) ?? null;
}

interface CustomerIndex {
  byReference: Map<string, ArrowCustomer>;
  /** Lower case; customers without one are left out. */
  byInternalReference: Map<string, ArrowCustomer>;
  /** Lower case. */
  byName: Map<string, ArrowCustomer>;
}
const customerIndexes = new WeakMap<ArrowCustomer[], CustomerIndex>();

/**
 * A listing's customers by each key findArrowCustomer looks at, the first in the listing's order
 * for each, built once per listing (listings are shared through the cache): a page of 100
 * mappings searched 2,000 customers up to four times each.
 */
function customerIndexOf(customers: ArrowCustomer[]): CustomerIndex {
  let index = customerIndexes.get(customers);
  if (!index) {
    index = { byReference: new Map(), byInternalReference: new Map(), byName: new Map() };
    const first = <K>(map: Map<K, ArrowCustomer>, key: K, c: ArrowCustomer) => void (map.has(key) || map.set(key, c));
    for (const c of customers) {
      first(index.byReference, c.reference, c);
      if (c.internalReference) first(index.byInternalReference, c.internalReference.toLowerCase(), c);
      first(index.byName, c.companyName.toLowerCase(), c);
    }
    customerIndexes.set(customers, index);
  }
  return index;
}

/** The references a mapping's Arrow reference may stand for: as given, and with XSP where it was left off. */
export function customerReferenceForms(arrowReference: string): string[] {
  const ref = arrowReference.trim();
  return ref.startsWith('XSP') ? [ref] : [ref, `XSP${ref}`];
}
