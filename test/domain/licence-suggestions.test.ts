import { describe, expect, it } from 'vitest';
import { suggestLicenses } from '../../src/domain/licenses.js';
import type { ResourceRow } from '../../src/domain/resources.js';
import type { ArrowLicense } from '../../src/arrow/client.js';

const resource = (uuid: string, name: string, licenseReference = ''): ResourceRow =>
  ({ uuid, name, licenseReference, backendId: licenseReference, project: { uuid: 'p', name: 'P' }, offering: { uuid: 'o', name: 'O' } }) as unknown as ResourceRow;
const licence = (licenseReference: string, friendlyName: string, offerName = ''): ArrowLicense => ({ licenseReference, friendlyName, offerName }) as unknown as ArrowLicense;

/**
 * Suggestions are remembered per customer's resources and licences (the screen matched the same
 * names on every computation): a second computation gives what the first gave, with this request's
 * own objects, and any change to a name, a link or the order is matched afresh.
 */
describe('licence suggestions', () => {
  const licences = () => [licence('L1', 'Microsoft 365 E3'), licence('L2', 'Azure plan', 'Azure'), licence('L3', 'Dynamics 365 Sales')];
  const resources = () => [resource('r1', 'Office 365 E3 for staff'), resource('r2', 'Azure subscription'), resource('r3', 'Dynamics', 'L3')];
  const flat = (s: ReturnType<typeof suggestLicenses>) => s.map((x) => [x.resourceUuid, x.resourceName, x.licenseReference, x.licenseName, x.confidence]);

  it('gives the same suggestions again, on the objects it is given', () => {
    const first = suggestLicenses(resources(), licences());
    expect(flat(first)).toEqual([
      ['r1', 'Office 365 E3 for staff', 'L1', 'Microsoft 365 E3', expect.any(Number)],
      ['r2', 'Azure subscription', 'L2', 'Azure plan', expect.any(Number)],
    ]);
    const [rs, ls] = [resources(), licences()];
    const again = suggestLicenses(rs, ls);
    expect(flat(again)).toEqual(flat(first));
    expect(again[0]!.resource).toBe(rs[0]);
    expect(again[1]!.license).toBe(ls[1]);
  });

  it('matches afresh when a name, a link or the order changes', () => {
    suggestLicenses(resources(), licences());
    // a resource renamed
    const renamed = resources();
    renamed[0] = resource('r1', 'Something else entirely');
    expect(flat(suggestLicenses(renamed, licences())).map((s) => s[0])).toEqual(['r2']);
    // the suggested licence now linked elsewhere: no longer offered
    const linked = resources();
    linked[2] = resource('r3', 'Dynamics', 'L1');
    expect(flat(suggestLicenses(linked, licences())).map((s) => s[2])).not.toContain('L1');
    // a licence renamed
    const renamedLicences = licences();
    renamedLicences[1] = licence('L2', 'Unrelated product', 'Other');
    expect(flat(suggestLicenses(resources(), renamedLicences)).map((s) => s[0])).toEqual(['r1']);
    // the same licences in another order point at the same licences
    const reversed = licences().reverse();
    expect(flat(suggestLicenses(resources(), reversed))).toEqual(flat(suggestLicenses(resources(), licences())));
  });
});
