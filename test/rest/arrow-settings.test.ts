import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { companiesFixture, createOffering, seedCompanies, type SeededCompany } from '../support/seed.js';
import { listen } from '../support/http.js';
import { loadSdk, type SdkModels } from '../support/sdk-models.js';
import { sdkCalls, type SdkOperation } from '../support/sdk-calls.js';

const sdk = loadSdk<{ operations: Record<string, SdkOperation>; models: SdkModels }>('arrow-module.json');
const SETTINGS_OPERATIONS = Object.keys(sdk.operations).filter((o) => o.startsWith('admin_arrow_settings_'));
const KEY = 'settings-test-key';

/** /api/admin/arrow/settings/ and its four actions (ARROW-MODULE.md §2), checked against Waldur's SDK. */
describe('Arrow settings over REST, as Waldur has them', () => {
  let gw: TestGateway;
  let http: { base: string; close(): Promise<void> };
  const { seen, send, call } = sdkCalls('arrow-module.json', () => ({ gw, base: http.base }));
  let companies: SeededCompany[];



  beforeAll(async () => {
    gw = await startTestGateway('pglite', companiesFixture(3, new Date().toISOString().slice(0, 7), KEY));
    http = await listen(gw.server);
    const offeringUuid = await createOffering(gw, 'Arrow licences');
    const settingsUuid = (await gw.t.db.prisma.arrowSettings.create({ data: { apiUrl: gw.sim.apiUrl, apiKey: KEY, exportTypeReference: 'EXP' } })).uuid;
    companies = await seedCompanies(gw, { n: 3, settingsUuid, offeringUuid, mapped: 1 });
  });
  afterAll(async () => {
    await http.close();
    await gw.close();
  });

  it('every settings operation answers at its status, in its SDK model; the key is never answered', async () => {
    const made = await call('admin_arrow_settings_create', { body: { api_url: gw.sim.apiUrl, api_key: KEY, invoice_price_source: 'buy' } });
    expect(made).toMatchObject({ partner_reference: 'XSP000001', partner_name: 'Test Partner', invoice_price_source: 'buy', has_api_key: true });
    const listed = await call('admin_arrow_settings_list');
    expect(listed[0].uuid).toBe(made.uuid); // newest first, as Waldur orders them
    await call('admin_arrow_settings_retrieve', { uuid: made.uuid });
    await call('admin_arrow_settings_update', { uuid: made.uuid, body: { api_url: gw.sim.apiUrl, classification_filter: 'SAAS' } });
    const patched = await call('admin_arrow_settings_partial_update', { uuid: made.uuid, body: { sync_enabled: true } });
    expect(patched).toMatchObject({ classification_filter: 'SAAS', sync_enabled: true });
    const valid = await call('admin_arrow_settings_validate_credentials', { body: { api_url: gw.sim.apiUrl, api_key: KEY } });
    expect(valid).toMatchObject({ valid: true, message: 'Credentials validated successfully', partner_info: { reference: 'XSP000001', company_name: 'Test Partner' } });
    const invalid = await call('admin_arrow_settings_validate_credentials', { body: { api_url: gw.sim.apiUrl, api_key: 'wrong-key' } });
    expect(invalid).toEqual({ valid: false, error: expect.stringMatching(/HTTP 401/) });
    const discovered = await call('admin_arrow_settings_discover_customers', { body: { api_url: gw.sim.apiUrl, api_key: KEY } });
    expect(discovered.arrow_customers.map((c: { reference: string }) => c.reference)).toEqual(['XSP500000', 'XSP500001', 'XSP500002']);
    // the mapped customer is named as mapped; the others get their Waldur namesake
    expect(discovered.suggestions.map((s: any) => [s.arrow_customer.reference, s.existing_mapping, s.suggested_waldur_customer?.uuid ?? null])).toEqual([
      ['XSP500000', true, null],
      ['XSP500001', false, companies[1]!.customerUuid],
      ['XSP500002', false, companies[2]!.customerUuid],
    ]);
    expect(discovered.export_types).toEqual([expect.objectContaining({ reference: 'EXP', required_fields_total: 5, important_fields_total: 22 })]);
    const preview = await call('admin_arrow_settings_preview_settings', { body: { api_url: gw.sim.apiUrl, api_key: KEY, export_type_reference: 'EXP' } });
    expect(preview).toEqual({ api_url: gw.sim.apiUrl, partner_name: 'Test Partner', partner_reference: 'XSP000001', export_type_reference: 'EXP', classification_filter: 'IAAS', sync_enabled: false });
    const before = await gw.t.db.prisma.arrowSettings.count();
    const saved = await call('admin_arrow_settings_save_settings', { body: {
      api_url: gw.sim.apiUrl,
      api_key: KEY,
      export_type_reference: 'EXP',
      customer_mappings: [
        { arrow_reference: 'XSP500001', waldur_customer_uuid: companies[1]!.customerUuid },
        { arrow_reference: 'XSP500002', waldur_customer_uuid: '00000000-0000-4000-8000-00000000dead' }, // no such customer: skipped
      ],
    } });
    expect(saved).toMatchObject({ mappings_created: 1, message: 'Settings saved with 1 customer mappings' });
    expect(await gw.t.db.prisma.arrowSettings.count()).toBe(before + 1);
    expect(await gw.t.db.prisma.arrowSettings.findMany({ where: { isActive: true }, select: { uuid: true } })).toEqual([{ uuid: saved.settings_uuid }]);
    expect(await gw.t.db.prisma.customerMapping.findMany({ where: { settingsUuid: saved.settings_uuid }, select: { arrowReference: true, arrowCompanyName: true } })).toEqual([
      { arrowReference: 'XSP500001', arrowCompanyName: 'Company 1 GmbH' },
    ]);
    // deleting settings takes their mappings with them
    await call('admin_arrow_settings_destroy', { uuid: saved.settings_uuid });
    expect(await gw.t.db.prisma.customerMapping.count({ where: { settingsUuid: saved.settings_uuid } })).toBe(0);
    await call('admin_arrow_settings_destroy', { uuid: made.uuid });
    expect([...seen].sort()).toEqual(SETTINGS_OPERATIONS.sort());
    for (const answer of [made, listed, patched]) expect(JSON.stringify(answer)).not.toContain(KEY);
  });

  it('refuses bad input with 400 naming the field, and changes nothing', async () => {
    const count = await gw.t.db.prisma.arrowSettings.count();
    expect(await send('POST', '/api/admin/arrow/settings/', { api_url: 'not a url', api_key: KEY })).toMatchObject({ status: 400, body: { api_url: ['Enter a valid http(s) URL.'] } });
    expect(await send('POST', '/api/admin/arrow/settings/', {})).toMatchObject({ status: 400, body: { api_url: ['This field is required.'], api_key: ['This field is required.'] } });
    expect(await send('POST', '/api/admin/arrow/settings/', { api_url: gw.sim.apiUrl, api_key: KEY, invoice_price_source: 'list' })).toMatchObject({ status: 400, body: { invoice_price_source: ['"list" is not a valid choice.'] } });
    expect(await send('POST', '/api/admin/arrow/settings/', { api_url: gw.sim.apiUrl, api_key: 'wrong-key' })).toMatchObject({ status: 400, body: { api_key: [expect.stringMatching(/^Arrow refused these credentials/)] } });
    const existing = (await gw.t.db.prisma.arrowSettings.findFirstOrThrow()).uuid;
    expect(await send('PUT', `/api/admin/arrow/settings/${existing}/`, { classification_filter: 'X' })).toMatchObject({ status: 400, body: { api_url: ['This field is required.'] } });
    expect(await send('PATCH', `/api/admin/arrow/settings/${existing}/`, { api_key: '' })).toMatchObject({ status: 400, body: { api_key: ['This field may not be blank.'] } });
    expect(await send('POST', '/api/admin/arrow/settings/preview_settings/', { api_url: gw.sim.apiUrl, api_key: 'wrong-key' })).toMatchObject({ status: 400, body: { api_key: [expect.stringMatching(/^Arrow refused/)] } });
    expect(await send('POST', '/api/admin/arrow/settings/save_settings/', { api_url: gw.sim.apiUrl, api_key: KEY, customer_mappings: [{ arrow_reference: 'X' }] })).toMatchObject({
      status: 400,
      body: { 'customer_mappings[0].waldur_customer_uuid': ['This field is required.'] },
    });
    expect(await send('GET', '/api/admin/arrow/settings/?is_active=maybe')).toMatchObject({ status: 400, body: { is_active: ['Must be a valid boolean.'] } });
    for (const method of ['GET', 'PATCH', 'DELETE']) expect((await send(method, '/api/admin/arrow/settings/00000000-0000-4000-8000-000000000000/', method === 'PATCH' ? {} : undefined)).status).toBe(404);
    expect(await gw.t.db.prisma.arrowSettings.count()).toBe(count);
    expect((await send('GET', '/api/admin/arrow/settings/', undefined)).headers.get('x-result-count')).toBe(String(count));
  });

  it('has GraphQL twins that give the same data', async () => {
    const credentials = { apiUrl: gw.sim.apiUrl, apiKey: KEY };
    const ERR = '... on Error { __typename message }';
    const viaRest = await send('POST', '/api/admin/arrow/settings/discover_customers/', { api_url: gw.sim.apiUrl, api_key: KEY });
    const discovery = (await gw.gql(`mutation($c: ArrowCredentialsInput!) { discoverArrowCustomers(input: $c) { ... on MutationDiscoverArrowCustomersSuccess { result {
      arrowCustomers { reference companyName } waldurCustomers { uuid name }
      suggestions { arrowCustomer { reference } suggestedWaldurCustomer { uuid } confidence existingMapping }
      exportTypes { reference name requiredFieldsFound importantFieldsFound missingRequiredFields compatible recommended } } } ${ERR} } }`, { c: credentials })).data.discoverArrowCustomers.result;
    expect(discovery.arrowCustomers.map((c: { reference: string; companyName: string }) => [c.reference, c.companyName])).toEqual(viaRest.body.arrow_customers.map((c: any) => [c.reference, c.companyName]));
    expect(discovery.suggestions.map((s: any) => [s.arrowCustomer.reference, s.suggestedWaldurCustomer?.uuid ?? null, s.confidence, s.existingMapping])).toEqual(
      viaRest.body.suggestions.map((s: any) => [s.arrow_customer.reference, s.suggested_waldur_customer?.uuid ?? null, s.confidence, s.existing_mapping]),
    );
    expect(discovery.exportTypes.map((t: any) => [t.reference, t.requiredFieldsFound, t.importantFieldsFound, t.missingRequiredFields, t.compatible, t.recommended])).toEqual(
      viaRest.body.export_types.map((t: any) => [t.reference, t.required_fields_found, t.important_fields_found, t.missing_required_fields, t.compatible, t.recommended]),
    );
    const valid = (await gw.gql(`mutation($c: ArrowCredentialsInput!) { validateArrowCredentials(input: $c) { ... on MutationValidateArrowCredentialsSuccess { result { valid partner { reference companyName } error } } } }`, { c: credentials })).data.validateArrowCredentials.result;
    expect(valid).toEqual({ valid: true, partner: { reference: 'XSP000001', companyName: 'Test Partner' }, error: null });
    const refused = (await gw.gql(`mutation($c: ArrowCredentialsInput!) { validateArrowCredentials(input: $c) { ... on MutationValidateArrowCredentialsSuccess { result { valid error } } } }`, { c: { ...credentials, apiKey: 'wrong-key' } })).data.validateArrowCredentials.result;
    expect(refused).toEqual({ valid: false, error: expect.stringMatching(/HTTP 401/) });
    const preview = (await gw.gql(`mutation($i: CreateArrowSettingsInput!) { previewArrowSettings(input: $i) { ... on MutationPreviewArrowSettingsSuccess { result { apiUrl partnerReference partnerName exportTypeReference classificationFilter syncEnabled } } ${ERR} } }`, { i: credentials })).data.previewArrowSettings.result;
    expect(preview).toEqual({ apiUrl: gw.sim.apiUrl, partnerReference: 'XSP000001', partnerName: 'Test Partner', exportTypeReference: '', classificationFilter: 'IAAS', syncEnabled: false });
    const saved = (await gw.gql(`mutation($i: CreateArrowSettingsInput!, $m: [ArrowCustomerMappingChoice!]!) { saveArrowSettings(input: $i, customerMappings: $m) { ... on MutationSaveArrowSettingsSuccess { result { mappingsCreated settings { uuid isActive hasApiKey } } } ${ERR} } }`, {
      i: credentials,
      m: [{ arrowReference: 'XSP500002', waldurCustomerUuid: companies[2]!.customerUuid }],
    })).data.saveArrowSettings.result;
    expect(saved).toMatchObject({ mappingsCreated: 1, settings: { isActive: true, hasApiKey: true } });
    const viaRestAgain = await send('GET', `/api/admin/arrow/settings/${saved.settings.uuid}/`);
    expect(viaRestAgain.body).toMatchObject({ uuid: saved.settings.uuid, is_active: true, has_api_key: true });
    const bad = (await gw.gql(`mutation($i: CreateArrowSettingsInput!) { previewArrowSettings(input: $i) { __typename ${ERR} } }`, { i: { ...credentials, apiUrl: 'nope' } })).data.previewArrowSettings;
    expect(bad).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/URL/) });
    const deleted = (await gw.gql(`mutation($u: UUID!) { deleteArrowSettings(uuid: $u) { ... on MutationDeleteArrowSettingsSuccess { deleted { uuid } } ${ERR} } }`, { u: saved.settings.uuid })).data.deleteArrowSettings;
    expect(deleted).toEqual({ deleted: { uuid: saved.settings.uuid } });
    expect((await send('GET', `/api/admin/arrow/settings/${saved.settings.uuid}/`)).status).toBe(404);
    const again = (await gw.gql(`mutation($u: UUID!) { deleteArrowSettings(uuid: $u) { __typename } }`, { u: saved.settings.uuid })).data.deleteArrowSettings;
    expect(again.__typename).toBe('NotFoundError');
  });

  it('every Arrow-module endpoint is staff only: 403 for a user, 401 without a token, and changes nothing', async () => {
    const before = await gw.t.db.prisma.arrowSettings.count();
    for (const [name, op] of Object.entries(sdk.operations)) {
      const path = op.path.replace('{uuid}', '00000000-0000-4000-8000-000000000000');
      const init = (token?: string) => ({ method: op.method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Token ${token}` } : {}) }, body: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}' });
      const user = await fetch(`${http.base}${path}`, init(gw.userToken));
      expect([name, user.status, await user.json()]).toEqual([name, 403, { detail: 'You do not have permission to perform this action.' }]);
      const anonymous = await fetch(`${http.base}${path}`, init());
      expect([name, anonymous.status]).toEqual([name, 401]);
    }
    expect(await gw.t.db.prisma.arrowSettings.count()).toBe(before);
  });
});
