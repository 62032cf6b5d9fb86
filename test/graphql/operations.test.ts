import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, seedCompanies, type SeededCompany, createOffering } from '../support/seed.js';
import { databaseKinds } from '../support/db.js';

const period = '2026-10';
const ERR = '... on Error { __typename message } ... on ValidationError { fields { field messages } }';

describe.each(databaseKinds)('the seed operations through GraphQL (%s)', (kind) => {
  let gw: TestGateway;
  let companies: SeededCompany[];
  let settingsUuid: string;
  let offeringUuid: string;
  const prisma = () => gw.t.db.prisma;
  /** Everything a failed mutation must leave alone. */
  const snapshot = async () => ({
    mappings: await prisma().customerMapping.findMany({ orderBy: { uuid: 'asc' } }),
    resources: await prisma().resource.findMany({ orderBy: { uuid: 'asc' } }),
    orders: await prisma().order.count(),
    settings: await prisma().arrowSettings.findMany({ orderBy: { uuid: 'asc' } }),
  });

  beforeAll(async () => {
    gw = await startTestGateway(kind, companiesFixture(5, period), { cacheTtlMs: 0 });
    offeringUuid = await createOffering(gw, 'Arrow licences');
    settingsUuid = (await prisma().arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 5, settingsUuid, offeringUuid, mapped: 3 });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.sim.setFaults({}));

  describe('list (customerMappings)', () => {
    it('lists newest first with totalCount, and filters like the seed', async () => {
      const q = `query($filter: CustomerMappingFilter) { customerMappings(first: 10, filter: $filter) { totalCount edges { node { arrowReference waldurCustomerName } } } }`;
      const all = await gw.gql(q);
      expect(all.data.customerMappings.totalCount).toBe(3);
      expect(all.data.customerMappings.edges.map((e: any) => e.node.arrowReference)).toEqual(['XSP500002', 'XSP500001', 'XSP500000']);
      const by = async (filter: object) => (await gw.gql(q, { filter })).data.customerMappings.edges.map((e: any) => e.node.arrowReference);
      expect(await by({ arrowReference: 'xsp500001' })).toEqual(['XSP500001']);
      expect(await by({ arrowCompanyName: 'COMPANY 2' })).toEqual(['XSP500002']);
      expect(await by({ waldurCustomerUuid: companies[0]!.customerUuid })).toEqual(['XSP500000']);
      expect(await by({ settingsUuid })).toHaveLength(3);
      expect(await by({ isActive: false })).toEqual([]);
    });

    it('pages with cursors and refuses a page larger than the limit', async () => {
      const q = `query($after: String) { customerMappings(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { uuid } } } }`;
      const p1 = (await gw.gql(q)).data.customerMappings;
      const p2 = (await gw.gql(q, { after: p1.pageInfo.endCursor })).data.customerMappings;
      expect(p1.pageInfo.hasNextPage).toBe(true);
      expect(p2.pageInfo.hasNextPage).toBe(false);
      expect(new Set([...p1.edges, ...p2.edges].map((e: any) => e.node.uuid)).size).toBe(3);
      const big = await gw.gql(`{ customerMappings(first: 301) { totalCount } }`);
      expect(big.errors?.[0]?.message).toBe('Page size must be between 0 and 300');
    });
  });

  describe('retrieve (customerMapping)', () => {
    it('answers one mapping by uuid, and null for an unknown one', async () => {
      const q = `query($uuid: UUID!) { customerMapping(uuid: $uuid) { uuid arrowReference waldurCustomer { name } settings { uuid } } }`;
      const found = await gw.gql(q, { uuid: companies[1]!.mappingUuid });
      expect(found.data.customerMapping).toEqual({ uuid: companies[1]!.mappingUuid, arrowReference: 'XSP500001', waldurCustomer: { name: 'Company 1' }, settings: { uuid: settingsUuid } });
      expect((await gw.gql(q, { uuid: '00000000-0000-4000-8000-000000000000' })).data.customerMapping).toBeNull();
      expect((await gw.gql(q, { uuid: 'not-a-uuid' })).errors?.[0]?.message).toMatch(/UUID/);
    });
  });

  describe('available_customers (availableArrowCustomers)', () => {
    const q = `{ availableArrowCustomers { ... on QueryAvailableArrowCustomersSuccess { result {
      settingsUuid arrowCustomers { reference companyName email city countryCode }
      waldurCustomers { uuid name abbreviation }
      suggestions { arrowCustomer { reference } suggestedWaldurCustomer { name } confidence existingMapping } } } ${ERR} } }`;

    it('lists unmapped Arrow customers with the most similar Waldur customer', async () => {
      const r = (await gw.gql(q)).data.availableArrowCustomers.result;
      expect(r.settingsUuid).toBe(settingsUuid);
      expect(r.arrowCustomers.map((c: any) => c.reference)).toEqual(['XSP500003', 'XSP500004']);
      expect(r.arrowCustomers[0]).toEqual({ reference: 'XSP500003', companyName: 'Company 3 GmbH', email: 'c3@example.com', city: 'Berlin', countryCode: 'DE' });
      expect(r.waldurCustomers).toHaveLength(5);
      // difflib: "company 3 gmbh" vs "company 3" = 2·9/23
      expect(r.suggestions[0]).toEqual({ arrowCustomer: { reference: 'XSP500003' }, suggestedWaldurCustomer: { name: 'Company 3' }, confidence: 18 / 23, existingMapping: false });
    });

    it('says so when there are no active settings', async () => {
      await prisma().arrowSettings.update({ where: { uuid: settingsUuid }, data: { isActive: false } });
      try {
        expect((await gw.gql(q)).data.availableArrowCustomers).toEqual({ __typename: 'ValidationError', message: 'No active Arrow settings configured', fields: [] });
      } finally {
        await prisma().arrowSettings.update({ where: { uuid: settingsUuid }, data: { isActive: true } });
      }
    });

    it('reports Arrow failing as ArrowUnavailableError', async () => {
      gw.sim.setFaults({ errorRate: 1 });
      const r = (await gw.gql(q)).data.availableArrowCustomers;
      expect(r.__typename).toBe('ArrowUnavailableError');
      expect(r.message).toMatch(/^Arrow customers failed \(HTTP 50[03]\)/);
    });
  });

  describe('billing_summary (CustomerMapping.billingSummary)', () => {
    const q = `query($uuid: UUID!) { customerMapping(uuid: $uuid) { billingSummary {
      totalConsumptionRecords totalConsumedSell totalFinalSell pendingRecords finalizedRecords reconciledRecords totalBillingSyncs totalBillingSell
      recentConsumptionRecords { licenseReference resourceName billingPeriod consumedSell finalSell isFinalized isReconciled }
      recentBillingSyncs { reportPeriod state sellTotal itemsCount } } } }`;

    it('has null totals when there is nothing to sum', async () => {
      const s = (await gw.gql(q, { uuid: companies[2]!.mappingUuid })).data.customerMapping.billingSummary;
      expect(s).toEqual({ totalConsumptionRecords: 0, totalConsumedSell: '0.00', totalFinalSell: null, pendingRecords: 0, finalizedRecords: 0, reconciledRecords: 0, totalBillingSyncs: 0, totalBillingSell: null, recentConsumptionRecords: [], recentBillingSyncs: [] });
    });

    it('counts and sums records and syncs, most recent first', async () => {
      const c = companies[1]!;
      await prisma().consumptionRecord.createMany({ data: [
        { resourceUuid: c.resourceUuids[0]!, licenseReference: 'XSP700010', billingPeriod: new Date('2026-08-01'), consumedSell: '100.10', finalSell: '95.05', finalizedAt: new Date(), reconciledAt: new Date() },
        { resourceUuid: c.resourceUuids[0]!, licenseReference: 'XSP700010', billingPeriod: new Date('2026-09-01'), consumedSell: '50.00' },
      ] });
      await prisma().billingSync.create({ data: { customerMappingUuid: c.mappingUuid!, statementReference: 'ST-9', reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '300.00', items: { create: [{ arrowLineReference: '1', originalPrice: '100' }, { arrowLineReference: '2', originalPrice: '200' }] } } });
      const s = (await gw.gql(q, { uuid: c.mappingUuid })).data.customerMapping.billingSummary;
      expect(s).toMatchObject({ totalConsumptionRecords: 2, totalConsumedSell: '150.10', totalFinalSell: '95.05', pendingRecords: 1, finalizedRecords: 1, reconciledRecords: 1, totalBillingSyncs: 1, totalBillingSell: '300.00' });
      expect(s.recentConsumptionRecords.map((r: any) => r.billingPeriod)).toEqual(['2026-09-01', '2026-08-01']);
      expect(s.recentConsumptionRecords[1]).toEqual({ licenseReference: 'XSP700010', resourceName: 'Azure Plan', billingPeriod: '2026-08-01', consumedSell: '100.10', finalSell: '95.05', isFinalized: true, isReconciled: true });
      expect(s.recentBillingSyncs).toEqual([{ reportPeriod: '2026-09', state: 'SYNCED', sellTotal: '300.00', itemsCount: 2 }]);
    });
  });

  describe('discover_licenses (discoverLicenses)', () => {
    const q = `query($uuid: UUID!) { discoverLicenses(mappingUuid: $uuid) { ... on QueryDiscoverLicensesSuccess { discovery {
      customerMappingUuid arrowReference waldurCustomerName arrowCustomer { reference }
      arrowLicenses { licenseReference vendorName offerName offerSku friendlyName }
      waldurResources { name backendId project { name } offering { name } state }
      suggestions { resourceName licenseReference licenseName confidence } error } } ${ERR} } }`;

    it("lists the customer's licences and resources and suggests links", async () => {
      const d = (await gw.gql(q, { uuid: companies[0]!.mappingUuid })).data.discoverLicenses.discovery;
      expect(d.arrowCustomer).toEqual({ reference: 'XSP500000' });
      expect(d.arrowLicenses.map((l: any) => l.licenseReference)).toEqual(['XSP700000', 'XSP700001']);
      expect(d.arrowLicenses[1]).toEqual({ licenseReference: 'XSP700001', vendorName: 'Microsoft', offerName: 'Microsoft 365 E3', offerSku: 'SKU-1', friendlyName: 'Company 0 Microsoft 365 E3' });
      expect(d.waldurResources).toEqual([
        { name: 'Azure Plan', backendId: 'XSP700000', project: { name: 'Project 0' }, offering: { name: 'Arrow licences' }, state: 'OK' },
        { name: 'Microsoft 365 E3', backendId: '', project: { name: 'Project 0' }, offering: { name: 'Arrow licences' }, state: 'OK' },
      ]);
      // the offer name equals the resource name: ratio 1.0
      expect(d.suggestions).toEqual([{ resourceName: 'Microsoft 365 E3', licenseReference: 'XSP700001', licenseName: 'Company 0 Microsoft 365 E3', confidence: 1 }]);
      expect(d.error).toBeNull();
    });

    it('still answers with the Waldur side when Arrow fails', async () => {
      gw.sim.setFaults({ errorRate: 1, endpoints: ['customerLicenses', 'licensesFind'] });
      const d = (await gw.gql(q, { uuid: companies[0]!.mappingUuid })).data.discoverLicenses.discovery;
      expect(d.error).toMatch(/^Arrow customerLicenses failed/);
      expect(d.arrowLicenses).toEqual([]);
      expect(d.waldurResources).toHaveLength(2);
    });

    it('is NotFoundError for an unknown mapping', async () => {
      const r = (await gw.gql(q, { uuid: '00000000-0000-4000-8000-000000000000' })).data.discoverLicenses;
      expect(r).toEqual({ __typename: 'NotFoundError', message: 'Customer mapping 00000000-0000-4000-8000-000000000000 not found' });
    });
  });

  describe('fetch_arrow_data (CustomerMapping.arrowData)', () => {
    const q = `query($uuid: UUID!, $period: String, $source: ConsumptionSource!) { customerMapping(uuid: $uuid) { arrowData(period: $period, consumption: $source) {
      period billingAvailable billingTotalSell billingTotalBuy consumptionSource consumptionSyncedAt consumptionTotalSell consumptionTotalBuy
      totalCustomerResources resourcesWithBackendId matchedResources error
      billingLines { vendorName subscriptionReference licenseReference offerSku classification quantity sellPrice buyPrice }
      consumptionLines { licenseReference resourceName period sellPrice buyPrice recordedAt error } } } }`;
    const arrowData = async (variables: Record<string, unknown>) => (await gw.gql(q, { uuid: companies[0]!.mappingUuid, period, source: 'LIVE', ...variables })).data.customerMapping.arrowData;

    describe('LIVE: as Waldur, each licence read from Arrow now', () => {
      it("gives the export's lines for the customer and each linked licence's consumption", async () => {
        gw.sim.resetStats();
        const d = await arrowData({});
        expect(d).toMatchObject({ period, billingAvailable: true, billingTotalSell: '31.00', billingTotalBuy: '24.80', consumptionSource: 'LIVE', consumptionSyncedAt: null, consumptionTotalSell: '15.50', consumptionTotalBuy: '12.40', totalCustomerResources: 2, resourcesWithBackendId: 1, matchedResources: 1, error: null });
        expect(d.billingLines[0]).toEqual({ vendorName: 'Microsoft', subscriptionReference: 'SUB-XSP700000', licenseReference: 'XSP700000', offerSku: 'SKU-0', classification: 'IAAS', quantity: '1.00', sellPrice: '15.50', buyPrice: '12.40' });
        expect(d.consumptionLines).toEqual([{ licenseReference: 'XSP700000', resourceName: 'Azure Plan', period, sellPrice: '15.50', buyPrice: '12.40', recordedAt: null, error: null }]);
        expect(gw.sim.stats().consumptionMonthly).toBe(1);
      });

      it('has null totals for a period without lines', async () => {
        const d = await arrowData({ period: '2020-01' });
        expect(d).toMatchObject({ billingTotalSell: null, billingTotalBuy: null, consumptionTotalSell: '0.00', billingLines: [] });
      });

      it("puts a failing licence's error on its own line", async () => {
        gw.sim.setFaults({ errorRate: 1, endpoints: ['consumptionMonthly'] });
        const d = await arrowData({});
        expect(d.billingTotalSell).toBe('31.00');
        expect(d.matchedResources).toBe(0);
        expect(d.consumptionTotalSell).toBeNull();
        expect(d.consumptionLines[0].error).toMatch(/^Arrow consumptionMonthly failed/);
      });
    });

    describe("SYNCED (the default): the consumption sync's records, no Arrow consumption call", () => {
      afterAll(async () => {
        // leave the other operations' tests the records they expect
        await prisma().consumptionRecord.deleteMany({ where: { billingPeriod: new Date(`${period}-01`) } });
        await prisma().flowRun.deleteMany({ where: { period } });
      });

      it('says which licences have no synced consumption yet', async () => {
        gw.sim.resetStats();
        const d = (await gw.gql(`query($uuid: UUID!) { customerMapping(uuid: $uuid) { arrowData(period: "${period}") { consumptionSource consumptionSyncedAt consumptionTotalSell matchedResources billingTotalSell consumptionLines { licenseReference sellPrice recordedAt error } } } }`, { uuid: companies[0]!.mappingUuid })).data.customerMapping.arrowData;
        expect(d).toEqual({
          consumptionSource: 'SYNCED', consumptionSyncedAt: null, consumptionTotalSell: null, matchedResources: 0, billingTotalSell: '31.00',
          consumptionLines: [{ licenseReference: 'XSP700000', sellPrice: null, recordedAt: null, error: `No consumption synced for ${period} yet` }],
        });
        expect(gw.sim.stats().consumptionMonthly).toBeUndefined();
      });

      it('gives, after a consumption sync, the figures Arrow gives live, and when they were synced', async () => {
        const before = Date.now();
        const run = await gw.gql(`mutation { runConsumptionSync(period: "${period}", settingsUuid: "${settingsUuid}") { ... on MutationRunConsumptionSyncSuccess { run { status } } } }`);
        expect(run.data.runConsumptionSync.run.status).toBe('SUCCEEDED');
        gw.sim.resetStats();
        const synced = await arrowData({ source: 'SYNCED' });
        expect(gw.sim.stats().consumptionMonthly).toBeUndefined();
        const live = await arrowData({ source: 'LIVE' });
        const figures = (d: any) => ({ ...d, consumptionSource: undefined, consumptionSyncedAt: undefined, consumptionLines: d.consumptionLines.map((l: any) => ({ ...l, recordedAt: undefined })) });
        expect(figures(synced)).toEqual(figures(live));
        expect(synced.consumptionTotalSell).toBe('15.50');
        expect(Date.parse(synced.consumptionSyncedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect(Date.parse(synced.consumptionLines[0].recordedAt)).toBeGreaterThanOrEqual(before - 1000);
      });

      it('does not count a record kept for another licence than the one linked now', async () => {
        await prisma().resource.update({ where: { uuid: companies[0]!.resourceUuids[0]! }, data: { backendId: 'XSP799999' } });
        try {
          const d = await arrowData({ source: 'SYNCED' });
          expect(d.consumptionLines).toEqual([expect.objectContaining({ licenseReference: 'XSP799999', sellPrice: null, error: `No consumption synced for ${period} yet` })]);
        } finally {
          await prisma().resource.update({ where: { uuid: companies[0]!.resourceUuids[0]! }, data: { backendId: 'XSP700000' } });
        }
      });

      it('says why a resource that is not OK has no synced consumption', async () => {
        const resource = companies[2]!.resourceUuids[0]!;
        await prisma().resource.update({ where: { uuid: resource }, data: { state: 'ERRED' } });
        try {
          // a month never synced
          const d = (await gw.gql(q, { uuid: companies[2]!.mappingUuid, period: '2026-09', source: 'SYNCED' })).data.customerMapping.arrowData;
          expect(d.consumptionLines.map((l: any) => l.error)).toEqual(['No consumption synced for 2026-09: the sync reads resources in state OK, this one is ERRED']);
        } finally {
          await prisma().resource.update({ where: { uuid: resource }, data: { state: 'OK' } });
        }
      });
    });

    it('refuses a malformed period', async () => {
      const r = await gw.gql(q, { uuid: companies[0]!.mappingUuid, period: '2026-13', source: 'LIVE' });
      expect(r.errors?.[0]).toMatchObject({ message: 'Use a month as YYYY-MM, e.g. 2026-11.', extensions: { code: 'BAD_USER_INPUT' } });
    });
  });

  describe('link_resource (linkResource)', () => {
    const m = `mutation($mapping: UUID!, $resource: UUID!, $ref: String!, $move: Boolean) {
      linkResource(mappingUuid: $mapping, resourceUuid: $resource, licenseReference: $ref, move: $move) {
        ... on MutationLinkResourceSuccess { result { resourceUuid resourceName licenseReference previousBackendId success movedFrom { uuid } } } ${ERR} } }`;

    it("sets the resource's backend_id and answers the previous one", async () => {
      const c = companies[3]!;
      const mapping = await prisma().customerMapping.create({ data: { settingsUuid, arrowReference: c.arrowReference, arrowCompanyName: 'Company 3 GmbH', waldurCustomerUuid: c.customerUuid } });
      const r = (await gw.gql(m, { mapping: mapping.uuid, resource: c.resourceUuids[1], ref: 'XSP700031' })).data.linkResource.result;
      expect(r).toEqual({ resourceUuid: c.resourceUuids[1], resourceName: 'Microsoft 365 E3', licenseReference: 'XSP700031', previousBackendId: '', success: true, movedFrom: null });
      expect((await prisma().resource.findUnique({ where: { uuid: c.resourceUuids[1] } }))!.backendId).toBe('XSP700031');
    });

    it('refuses a resource of another customer with NotFoundError, changing nothing', async () => {
      const before = await snapshot();
      const r = (await gw.gql(m, { mapping: companies[0]!.mappingUuid, resource: companies[1]!.resourceUuids[1], ref: 'X' })).data.linkResource;
      expect(r).toEqual({ __typename: 'NotFoundError', message: `Resource ${companies[1]!.resourceUuids[1]} not found for this customer` });
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a licence already linked in the same offering unless told to move it', async () => {
      const c = companies[0]!;
      const before = await snapshot();
      const r = (await gw.gql(m, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000' })).data.linkResource;
      expect(r.__typename).toBe('ConflictError');
      expect(r.message).toContain(`License XSP700000 is already linked to resource ${c.resourceUuids[0]}`);
      expect(await snapshot()).toEqual(before);
      const moved = (await gw.gql(m, { mapping: c.mappingUuid, resource: c.resourceUuids[1], ref: 'XSP700000', move: true })).data.linkResource.result;
      expect(moved.movedFrom).toEqual({ uuid: c.resourceUuids[0] });
      expect((await prisma().resource.findUnique({ where: { uuid: c.resourceUuids[0] } }))!.backendId).toBe('');
      await prisma().resource.update({ where: { uuid: c.resourceUuids[0] }, data: { backendId: 'XSP700000' } });
      await prisma().resource.update({ where: { uuid: c.resourceUuids[1] }, data: { backendId: '' } });
    });

    it('refuses a blank licence reference', async () => {
      const r = (await gw.gql(m, { mapping: companies[0]!.mappingUuid, resource: companies[0]!.resourceUuids[1], ref: '  ' })).data.linkResource;
      expect(r).toEqual({ __typename: 'ValidationError', message: 'This field may not be blank.', fields: [{ field: 'licenseReference', messages: ['This field may not be blank.'] }] });
    });
  });

  describe('import_license (importLicense)', () => {
    const m = `mutation($mapping: UUID!, $ref: String!, $name: String, $offering: UUID!, $project: UUID!) {
      importLicense(mappingUuid: $mapping, licenseReference: $ref, licenseName: $name, offeringUuid: $offering, projectUuid: $project) {
        ... on MutationImportLicenseSuccess { result { resourceUuid resourceName licenseReference offeringName projectName success resource { state backendId } } } ${ERR} } }`;

    it('creates the resource in state OK with a DONE create-order', async () => {
      const c = companies[2]!;
      const r = (await gw.gql(m, { mapping: c.mappingUuid, ref: 'XSP700021', name: 'M365 for Company 2', offering: offeringUuid, project: c.projectUuid })).data.importLicense.result;
      expect(r).toMatchObject({ resourceName: 'M365 for Company 2', licenseReference: 'XSP700021', offeringName: 'Arrow licences', projectName: 'Project 2', success: true, resource: { state: 'OK', backendId: 'XSP700021' } });
      const orders = await prisma().order.findMany({ where: { resourceUuid: r.resourceUuid } });
      expect(orders.map((o) => [o.type, o.state])).toEqual([['CREATE', 'DONE']]);
    });

    it('names the resource after the reference by default', async () => {
      const c = companies[4]!;
      const mapping = await prisma().customerMapping.create({ data: { settingsUuid, arrowReference: c.arrowReference, arrowCompanyName: 'Company 4 GmbH', waldurCustomerUuid: c.customerUuid } });
      const other = { uuid: await createOffering(gw, 'Other') };
      const r = (await gw.gql(m, { mapping: mapping.uuid, ref: 'XSP700041', offering: other.uuid, project: c.projectUuid })).data.importLicense.result;
      expect(r.resourceName).toBe('XSP700041');
      await prisma().customerMapping.delete({ where: { uuid: mapping.uuid } });
    });

    it('refuses a licence already imported into the offering, an unknown offering and a foreign project, changing nothing', async () => {
      const c = companies[2]!;
      const before = await snapshot();
      const dup = (await gw.gql(m, { mapping: c.mappingUuid, ref: 'XSP700021', offering: offeringUuid, project: c.projectUuid })).data.importLicense;
      expect(dup).toMatchObject({ __typename: 'ConflictError', message: expect.stringMatching(/^License XSP700021 has already been imported: it backs resource [0-9a-f-]{36} \(M365 for Company 2\) in offering Arrow licences$/) });
      const noOffering = (await gw.gql(m, { mapping: c.mappingUuid, ref: 'NEW1', offering: '00000000-0000-4000-8000-000000000000', project: c.projectUuid })).data.importLicense;
      expect(noOffering).toEqual({ __typename: 'NotFoundError', message: 'Offering 00000000-0000-4000-8000-000000000000 not found' });
      const foreign = (await gw.gql(m, { mapping: c.mappingUuid, ref: 'NEW1', offering: offeringUuid, project: companies[0]!.projectUuid })).data.importLicense;
      expect(foreign).toEqual({ __typename: 'NotFoundError', message: `Project ${companies[0]!.projectUuid} not found for this customer` });
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('sync_from_arrow (syncCustomersFromArrow)', () => {
    const m = `mutation($s: UUID) { syncCustomersFromArrow(settingsUuid: $s) { ... on MutationSyncCustomersFromArrowSuccess { result { updated } } ${ERR} } }`;

    it("renames active mappings to Arrow's company name, counting the changes", async () => {
      await prisma().customerMapping.update({ where: { uuid: companies[0]!.mappingUuid }, data: { arrowCompanyName: 'Old name' } });
      expect((await gw.gql(m)).data.syncCustomersFromArrow.result).toEqual({ updated: 1 });
      expect((await prisma().customerMapping.findUnique({ where: { uuid: companies[0]!.mappingUuid } }))!.arrowCompanyName).toBe('Company 0 GmbH');
      expect((await gw.gql(m, { s: settingsUuid })).data.syncCustomersFromArrow.result).toEqual({ updated: 0 });
    });

    it('reports Arrow failing, and unknown settings, changing nothing', async () => {
      const before = await snapshot();
      gw.sim.setFaults({ errorRate: 1 });
      expect((await gw.gql(m)).data.syncCustomersFromArrow.__typename).toBe('ArrowUnavailableError');
      gw.sim.setFaults({});
      expect((await gw.gql(m, { s: '00000000-0000-4000-8000-000000000000' })).data.syncCustomersFromArrow.__typename).toBe('NotFoundError');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('create, update, partial update and delete', () => {
    const create = `mutation($input: CreateCustomerMappingInput!) { createCustomerMapping(input: $input) {
      ... on MutationCreateCustomerMappingSuccess { mapping { uuid arrowReference arrowCompanyName isActive waldurCustomerName settingsUuid } } ${ERR} } }`;
    const update = `mutation($uuid: UUID!, $input: UpdateCustomerMappingInput!) { updateCustomerMapping(uuid: $uuid, input: $input) {
      ... on MutationUpdateCustomerMappingSuccess { mapping { uuid arrowReference arrowCompanyName isActive waldurCustomerUuid } } ${ERR} } }`;
    const del = `mutation($uuid: UUID!) { deleteCustomerMapping(uuid: $uuid, confirmBillingHistoryLoss: true) { ... on MutationDeleteCustomerMappingSuccess { deleted { uuid } } ${ERR} } }`;

    it('creates, updates and deletes a mapping (its billing syncs with it, the loss confirmed)', async () => {
      const c = companies[4]!;
      const made = (await gw.gql(create, { input: { settingsUuid, arrowReference: ' XSP500004 ', waldurCustomerUuid: c.customerUuid } })).data.createCustomerMapping.mapping;
      expect(made).toMatchObject({ arrowReference: 'XSP500004', arrowCompanyName: 'Company 4 GmbH', isActive: true, waldurCustomerName: 'Company 4', settingsUuid });
      const patched = (await gw.gql(update, { uuid: made.uuid, input: { arrowCompanyName: 'Company 4 GmbH', isActive: false } })).data.updateCustomerMapping.mapping;
      expect(patched).toEqual({ uuid: made.uuid, arrowReference: 'XSP500004', arrowCompanyName: 'Company 4 GmbH', isActive: false, waldurCustomerUuid: c.customerUuid });
      const moved = (await gw.gql(update, { uuid: made.uuid, input: { waldurCustomerUuid: companies[3]!.customerUuid } })).data.updateCustomerMapping.mapping;
      expect(moved).toMatchObject({ arrowCompanyName: 'Company 4 GmbH', isActive: false, waldurCustomerUuid: companies[3]!.customerUuid });
      await prisma().billingSync.create({ data: { customerMappingUuid: made.uuid, statementReference: 'S', reportPeriod: '2026-10' } });
      expect((await gw.gql(del, { uuid: made.uuid })).data.deleteCustomerMapping).toEqual({ deleted: { uuid: made.uuid } });
      expect(await prisma().billingSync.count({ where: { customerMappingUuid: made.uuid } })).toBe(0);
      expect((await gw.gql(del, { uuid: made.uuid })).data.deleteCustomerMapping).toEqual({ __typename: 'NotFoundError', message: `Customer mapping ${made.uuid} not found` });
    });

    it('refuses a duplicate (settings, arrow reference) and unknown references, changing nothing', async () => {
      const before = await snapshot();
      const dup = (await gw.gql(create, { input: { settingsUuid, arrowReference: 'XSP500000', waldurCustomerUuid: companies[4]!.customerUuid } })).data.createCustomerMapping;
      expect(dup).toEqual({ __typename: 'ConflictError', message: 'The fields settings, arrow_reference must make a unique set.' });
      const unknown = (await gw.gql(create, { input: { settingsUuid: '00000000-0000-4000-8000-000000000000', arrowReference: '', waldurCustomerUuid: '00000000-0000-4000-8000-000000000001' } })).data.createCustomerMapping;
      expect(unknown.__typename).toBe('ValidationError');
      expect(unknown.fields.map((f: any) => f.field).sort()).toEqual(['arrowReference', 'settingsUuid', 'waldurCustomerUuid']);
      const dupUpdate = (await gw.gql(update, { uuid: companies[1]!.mappingUuid, input: { arrowReference: 'XSP500000' } })).data.updateCustomerMapping;
      expect(dupUpdate.__typename).toBe('ConflictError');
      const missing = (await gw.gql(update, { uuid: '00000000-0000-4000-8000-000000000000', input: { isActive: false } })).data.updateCustomerMapping;
      expect(missing.__typename).toBe('NotFoundError');
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('Arrow settings', () => {
    const create = `mutation($input: CreateArrowSettingsInput!) { createArrowSettings(input: $input) {
      ... on MutationCreateArrowSettingsSuccess { settings { uuid apiUrl hasApiKey partnerReference partnerName isActive } } ${ERR} } }`;

    it("checks the credentials with whoami, fills the partner and never shows the key", async () => {
      const r = (await gw.gql(create, { input: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', isActive: false } })).data.createArrowSettings.settings;
      expect(r).toMatchObject({ hasApiKey: true, partnerReference: 'XSP000001', partnerName: 'Test Partner', isActive: false });
      const listed = await gw.gql('{ arrowSettings { uuid apiUrl hasApiKey } }');
      expect(JSON.stringify(listed)).not.toContain('test-key');
      const upd = `mutation($uuid: UUID!, $input: UpdateArrowSettingsInput!) { updateArrowSettings(uuid: $uuid, input: $input) { ... on MutationUpdateArrowSettingsSuccess { settings { syncEnabled } } ${ERR} } }`;
      expect((await gw.gql(upd, { uuid: r.uuid, input: { syncEnabled: true } })).data.updateArrowSettings).toEqual({ settings: { syncEnabled: true } });
      const badKey = (await gw.gql(upd, { uuid: r.uuid, input: { apiKey: 'wrong-key' } })).data.updateArrowSettings;
      expect(badKey.__typename).toBe('ValidationError');
      expect(badKey.message).not.toContain('wrong-key');
    });

    it('refuses a wrong key or a bad URL, saving nothing', async () => {
      const before = await snapshot();
      const wrong = (await gw.gql(create, { input: { apiUrl: gw.sim.apiUrl, apiKey: 'wrong-key' } })).data.createArrowSettings;
      expect(wrong).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'apiKey', messages: ['Arrow refused these credentials (HTTP 401).'] }] });
      const url = (await gw.gql(create, { input: { apiUrl: 'ftp://x', apiKey: 'k' } })).data.createArrowSettings;
      expect(url).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'apiUrl' }] });
      gw.sim.setFaults({ errorRate: 1 });
      expect((await gw.gql(create, { input: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key' } })).data.createArrowSettings.__typename).toBe('ArrowUnavailableError');
      expect(await snapshot()).toEqual(before);
    });

    it("lists Arrow's export types and refuses an export type Arrow does not offer, saving nothing", async () => {
      const types = `query($s: UUID!) { arrowExportTypes(settingsUuid: $s) { ... on QueryArrowExportTypesSuccess { exportTypes { reference name } } ${ERR} } }`;
      expect((await gw.gql(types, { s: settingsUuid })).data.arrowExportTypes).toEqual({ exportTypes: [{ reference: 'EXP', name: 'Monthly' }] });
      const before = await snapshot();
      const bad = (await gw.gql(create, { input: { apiUrl: gw.sim.apiUrl, apiKey: 'test-key', exportTypeReference: 'NOPE' } })).data.createArrowSettings;
      const message = 'Arrow has no export type "NOPE" for these credentials; it offers: EXP (Monthly)';
      expect(bad).toEqual({ __typename: 'ValidationError', message, fields: [{ field: 'exportTypeReference', messages: [message] }] });
      const upd = `mutation($uuid: UUID!, $input: UpdateArrowSettingsInput!) { updateArrowSettings(uuid: $uuid, input: $input) { ... on MutationUpdateArrowSettingsSuccess { settings { exportTypeReference } } ${ERR} } }`;
      expect((await gw.gql(upd, { uuid: settingsUuid, input: { exportTypeReference: 'NOPE' } })).data.updateArrowSettings.__typename).toBe('ValidationError');
      expect(await snapshot()).toEqual(before);
      expect((await gw.gql(upd, { uuid: settingsUuid, input: { exportTypeReference: 'EXP' } })).data.updateArrowSettings).toEqual({ settings: { exportTypeReference: 'EXP' } });
      expect((await gw.gql(types, { s: '00000000-0000-4000-8000-000000000000' })).data.arrowExportTypes.__typename).toBe('NotFoundError');
    });
  });

  describe('applyLicenseSuggestions', () => {
    it('links every suggestion at or above the bar in one go', async () => {
      const c = companies[1]!;
      const m = `mutation($uuid: UUID!, $min: Float!) { applyLicenseSuggestions(mappingUuid: $uuid, minConfidence: $min) { ... on MutationApplyLicenseSuggestionsSuccess { result { linked { name backendId } } } ${ERR} } }`;
      expect((await gw.gql(m, { uuid: c.mappingUuid, min: 2 })).data.applyLicenseSuggestions.__typename).toBe('ValidationError');
      const r = (await gw.gql(m, { uuid: c.mappingUuid, min: 0.9 })).data.applyLicenseSuggestions.result;
      expect(r.linked).toEqual([{ name: 'Microsoft 365 E3', backendId: 'XSP700011' }]);
      expect((await gw.gql(m, { uuid: c.mappingUuid, min: 0.9 })).data.applyLicenseSuggestions.result.linked).toEqual([]);
    });
  });
});
