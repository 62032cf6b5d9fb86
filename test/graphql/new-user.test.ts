import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededGateway, type TestGateway } from '../support/gateway.js';
import type { SeededCompany } from '../support/seed.js';

/** What a new user meets on a screen: answers that say why, and fields filled in for them. */
describe('answers that explain themselves', () => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let settingsUuid: string;
  beforeAll(async () => {
    ({ gw, settingsUuid, companies } = await startSeededGateway(2, '2026-10', { mapped: 1 }));
  });
  afterAll(() => gw.close());

  it('arrowData for a month not begun says billing is not available, and asks Arrow nothing', async () => {
    gw.sim.resetStats();
    for (const consumption of ['LIVE', 'SYNCED']) {
      const d = (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { arrowData(period: "2099-01", consumption: ${consumption}) {
        billingAvailable billingLines { licenseReference } error consumptionLines { error } } } }`, { uuid: companies[0]!.mappingUuid })).data.customerMapping.arrowData;
      const why = 'The month 2099-01 has not begun: its billing and consumption are not available yet';
      expect(d).toEqual({ billingAvailable: false, billingLines: [], error: why, consumptionLines: [{ error: why }] });
    }
    expect(gw.sim.stats()).toEqual({});
  });

  it("LIVE consumption Arrow has not aggregated yet is the prediction, every value summed, with a note saying so", async () => {
    const licence = 'XSP700000';
    const saved = gw.sim.fixture.consumption![licence]!['2026-10'];
    gw.sim.fixture.consumption![licence]!['2026-10'] = [{ 'Report Period': '2026-10', 'Total sell price': 'null', 'Total buy price': 'null' }];
    gw.sim.fixture.predictions![licence] = { sell: '40.10', buy: '30.05' };
    gw.arrow.invalidate();
    try {
      const d = (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { arrowData(period: "2026-10", consumption: LIVE) {
        consumptionTotalSell consumptionLines { licenseReference sellPrice buyPrice error note } } } }`, { uuid: companies[0]!.mappingUuid })).data.customerMapping.arrowData;
      expect(d).toEqual({
        consumptionTotalSell: '40.10',
        consumptionLines: [{ licenseReference: licence, sellPrice: '40.10', buyPrice: '30.05', error: null, note: 'Prediction: Arrow has not aggregated this month yet ("Total sell price" is "null")' }],
      });
    } finally {
      gw.sim.fixture.consumption![licence]!['2026-10'] = saved!;
      gw.arrow.invalidate();
    }
  });

  it('a mapping naming a customer Arrow does not know says so, rather than that Arrow failed', async () => {
    const mapping = await gw.t.db.prisma.customerMapping.create({ data: { settingsUuid, arrowReference: 'XSP999999', waldurCustomerUuid: companies[1]!.customerUuid } });
    try {
      gw.arrow.invalidate();
      const d = (await gw.gql(`query($uuid: UUID!) { discoverLicenses(mappingUuid: $uuid) { ... on QueryDiscoverLicensesSuccess { discovery { error arrowLicenses { licenseReference } } } } }`, { uuid: mapping.uuid })).data.discoverLicenses.discovery;
      expect(d).toEqual({ error: 'Arrow customer XSP999999 not found', arrowLicenses: [] });
    } finally {
      await gw.t.db.prisma.customerMapping.delete({ where: { uuid: mapping.uuid } });
    }
  });

  it("createCustomerMapping takes Arrow's company name when none is given", async () => {
    const create = `mutation($input: CreateCustomerMappingInput!) { createCustomerMapping(input: $input) { ... on MutationCreateCustomerMappingSuccess { mapping { arrowCompanyName } } } }`;
    const made = (await gw.gql(create, { input: { settingsUuid, arrowReference: companies[1]!.arrowReference, waldurCustomerUuid: companies[1]!.customerUuid } })).data.createCustomerMapping;
    expect(made).toEqual({ mapping: { arrowCompanyName: 'Company 1 GmbH' } });
  });
});
