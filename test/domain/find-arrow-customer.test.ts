import { describe, expect, it } from 'vitest';
import { findArrowCustomer } from '../../src/domain/arrow-customers.js';
import type { ArrowCustomer } from '../../src/arrow/client.js';

/** The rule as written before the listing was indexed: each key in turn, the first customer in the listing's order. */
function byScanning(customers: ArrowCustomer[], arrowReference: string, waldurCustomerName: string): ArrowCustomer | null {
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

const customer = (reference: string, companyName: string, internalReference = ''): ArrowCustomer => ({ reference, companyName, internalReference }) as unknown as ArrowCustomer;

describe("a mapping's Arrow customer, found through the listing's index", () => {
  const listing = [
    customer('XSP100', 'Acme Corp', 'ACME-1'),
    customer('200', 'Globex', 'acme-1'), // the same internal reference in another case: the first wins
    customer('XSP300', 'Initech', ''),
    customer('300', 'Initech Two', 'I-300'),
    customer('400', 'acme corp', ''), // the same name in another case: the first wins
    customer('', 'Nameless reference', 'EMPTY'),
    customer('XSP200', 'Globex XSP', ''),
  ];
  const asked: [string, string][] = [
    ['XSP100', ''], ['100', ''], [' 100 ', 'x'], ['200', ''], ['300', ''], ['XSP300', ''],
    ['acme-1', ''], ['ACME-1', 'Globex'], ['i-300', ''], ['nothing', 'ACME CORP'], ['nothing', '  acme corp '],
    ['nothing', ''], ['', ''], ['', 'Globex'], ['empty', ''], ['XSP', ''], ['nothing', 'Nameless reference'],
  ];

  it('is what scanning the listing in order finds, for every kind of key', () => {
    for (const [reference, name] of asked) expect(findArrowCustomer(listing, reference, name)).toBe(byScanning(listing, reference, name));
  });

  it('indexes each listing of its own', () => {
    expect(findArrowCustomer(listing, '200', '')?.companyName).toBe('Globex');
    const other = [customer('200', 'Another Globex')];
    expect(findArrowCustomer(other, '200', '')?.companyName).toBe('Another Globex');
    expect(findArrowCustomer([], '200', 'Globex')).toBeNull();
  });
});
