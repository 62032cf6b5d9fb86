import type { ArrowCustomer } from '../arrow/client.js';

/**
 * The Arrow customer a mapping means: the same reference, or `XSP` + the reference, or the same
 * InternalReference ignoring case, or a CompanyName equal to the Waldur customer's name ignoring case.
 */
export function findArrowCustomer(customers: ArrowCustomer[], arrowReference: string, waldurCustomerName: string): ArrowCustomer | null {
  const ref = arrowReference.trim();
  const lower = ref.toLowerCase();
  const name = waldurCustomerName.trim().toLowerCase();
  return (
    customers.find((c) => c.reference === ref) ??
    customers.find((c) => c.reference === `XSP${ref}`) ??
    customers.find((c) => c.internalReference && c.internalReference.toLowerCase() === lower) ??
    customers.find((c) => name && c.companyName.toLowerCase() === name) ??
    null
  );
}

/** The references a mapping's Arrow reference may stand for: as given, and with XSP where it was left off. */
export function customerReferenceForms(arrowReference: string): string[] {
  const ref = arrowReference.trim();
  return ref.startsWith('XSP') ? [ref] : [ref, `XSP${ref}`];
}
