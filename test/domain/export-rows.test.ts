import { describe, expect, it } from 'vitest';
import { exportRowCustomer, mappingCustomerKeys } from '../../src/domain/arrow-data.js';
import { mappingIndex } from '../../src/domain/flows/billing-sync.js';

// billing sync and fetch_arrow_data decide by one rule which customer an export row belongs to
type Mapping = Parameters<typeof mappingIndex>[0][number];
const mapping = (uuid: string, arrowReference: string, arrowCompanyName: string) => ({ uuid, arrowReference, arrowCompanyName }) as unknown as Mapping;

describe('which customer an export row names', () => {
  it('reads the reference from any of its column names, else the company name', () => {
    expect(exportRowCustomer({ 'End User Company ID': ' XSP1 ', 'End User Company Name': 'A' })).toBe('id:XSP1');
    expect(exportRowCustomer({ 'End User Company Reference': 'XSP2' })).toBe('id:XSP2');
    expect(exportRowCustomer({ 'Customer Reference': 'XSP3' })).toBe('id:XSP3');
    expect(exportRowCustomer({ 'End User Company ID': '', 'End User Company Name': ' Alpha GmbH ' })).toBe('name:alpha gmbh');
    expect(mappingCustomerKeys({ arrowReference: '100', arrowCompanyName: ' Alpha GmbH ' })).toEqual(['id:100', 'id:XSP100', 'name:alpha gmbh']);
    expect(mappingCustomerKeys({ arrowReference: 'XSP100', arrowCompanyName: '' })).toEqual(['id:XSP100', 'id:XSPXSP100']);
  });

  it('gives an exact reference precedence over the XSP form, and that over a name; a reference never falls back to the name', () => {
    const exact = mapping('exact', 'XSP100', 'Alpha GmbH');
    const bare = mapping('bare', '100', 'Beta Ltd');
    const named = mapping('named', 'XSP900', 'Gamma AG');
    const of = mappingIndex([bare, exact, named]);
    expect(of({ 'End User Company ID': 'XSP100' })?.uuid).toBe('exact');
    expect(of({ 'End User Company ID': '100' })?.uuid).toBe('bare');
    expect(of({ 'End User Company Name': 'GAMMA AG' })?.uuid).toBe('named');
    expect(of({ 'End User Company ID': 'XSP555', 'End User Company Name': 'Gamma AG' })).toBeUndefined();
    expect(of({ 'End User Company Name': '' })).toBeUndefined();
  });
});
