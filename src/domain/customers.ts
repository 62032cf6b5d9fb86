import type { Prisma } from '../db/database.js';
import type { ArrowCustomer, CustomersPage } from '../arrow/client.js';
import { asUnavailable, type ArrowSource } from './arrow-source.js';
import { ValidationError } from './errors.js';
import { activeSettings, getSettings, type Settings } from './settings.js';

import { waldurCustomersByName, type Suggester, type WaldurCustomerSummary } from './customer-suggestions.js';

export { CUSTOMER_MATCH_THRESHOLD, type WaldurCustomerSummary } from './customer-suggestions.js';

export class NoActiveSettingsError extends ValidationError {
  constructor() {
    super('No active Arrow settings configured');
  }
}

export class NoSettingsError extends ValidationError {
  constructor() {
    super('No Arrow settings found');
  }
}

export interface CustomerSuggestion {
  arrowCustomer: ArrowCustomer;
  suggestedWaldurCustomer: WaldurCustomerSummary | null;
  confidence: number;
  /** An inactive mapping of this Arrow customer exists (active ones are not available). */
  existingMapping: boolean;
}

export interface AvailableCustomers {
  settings: Settings;
  arrowCustomers: ArrowCustomer[];
  waldurCustomers: WaldurCustomerSummary[];
  suggestions: CustomerSuggestion[];
}

/**
 * Arrow customers of the settings (default: the active ones) that no active mapping of those
 * settings covers, every Waldur customer, and for each available Arrow customer the Waldur
 * customer with the most similar name (difflib ratio > 0.5; ties keep the first in name order),
 * matched once per set of Waldur customers (see CustomerSuggestions).
 */
export async function availableCustomers(prisma: Prisma, arrow: ArrowSource, settingsUuid?: string | null): Promise<AvailableCustomers> {
  const settings = settingsUuid ? await getSettings(prisma, settingsUuid) : await activeSettings(prisma);
  if (!settings) throw new NoActiveSettingsError();
  const ours = Promise.all([
    prisma.customerMapping.findMany({ where: { settingsUuid: settings.uuid }, select: { arrowReference: true, isActive: true } }),
    waldurCustomersByName(prisma),
  ]).then(([mappings, waldurCustomers]) => ({
    active: new Set(mappings.filter((m) => m.isActive).map((m) => m.arrowReference)),
    inactive: new Set(mappings.filter((m) => !m.isActive).map((m) => m.arrowReference)),
    waldurCustomers,
  }));
  // When this read fetches Arrow's listing, its pages are matched as they come (Arrow's listing of
  // 20,000 customers is 200 pages): the matches are kept, and the matching of every name below
  // finds them there. Matching never waits for the listing's last page, nor the listing for it.
  let suggester: Promise<Suggester> | undefined;
  const early: Promise<unknown>[] = [];
  const onPage = (page: CustomersPage) => {
    suggester ??= ours.then(({ waldurCustomers }) => arrow.suggestions.for(waldurCustomers, page.pages * page.customers.length));
    const matched = Promise.all([suggester, ours]).then(([s, { active }]) => s.best(page.customers.filter((c) => !active.has(c.reference)).map((c) => c.companyName)));
    matched.catch(() => undefined); // seen by the await below, or moot when the listing failed
    early.push(matched);
  };
  try {
    const [{ items: arrowAll }, { active, inactive, waldurCustomers }] = await Promise.all([arrow.customersListing(settings, onPage), ours]);
    await Promise.all(early);
    const arrowCustomers = arrowAll.filter((c) => !active.has(c.reference));
    const names = arrowCustomers.map((c) => c.companyName);
    const matches = suggester ? await (await suggester).best(names) : await arrow.suggestions.best(names, waldurCustomers);
    const suggestions = arrowCustomers.map((arrowCustomer) => {
      const match = matches.get(arrowCustomer.companyName);
      return {
        arrowCustomer,
        suggestedWaldurCustomer: match?.customer ?? null,
        confidence: match?.confidence ?? 0,
        existingMapping: inactive.has(arrowCustomer.reference),
      };
    });
    return { settings, arrowCustomers, waldurCustomers, suggestions };
  } finally {
    void suggester?.then((s) => s.close(), () => undefined);
  }
}

/**
 * Reads every Arrow customer of the settings (default: the active ones, else any) and renames
 * each active mapping whose reference Arrow knows to Arrow's CompanyName. Fresh from Arrow: the
 * cache is dropped first, since this is how a user says "look again".
 */
export async function syncCustomersFromArrow(prisma: Prisma, arrow: ArrowSource, settingsUuid?: string | null): Promise<{ updated: number; settings: Settings }> {
  const settings = settingsUuid
    ? await getSettings(prisma, settingsUuid)
    : ((await activeSettings(prisma)) ?? (await prisma.arrowSettings.findFirst({ orderBy: { created: 'asc' } })));
  if (!settings) throw new NoSettingsError();
  await arrow.invalidate(settings.uuid);
  // fresh from Arrow, never a stale stand-in: renaming is what the user asked Arrow about
  const customers = await arrow.client(settings).listCustomers().catch((err: unknown) => {
    throw asUnavailable(err);
  });
  const names = new Map(customers.map((c) => [c.reference, c.companyName]));
  const mappings = await prisma.customerMapping.findMany({
    where: { settingsUuid: settings.uuid, isActive: true, arrowReference: { in: [...names.keys()] } },
    select: { uuid: true, arrowReference: true, arrowCompanyName: true },
  });
  const changed = mappings.filter((m) => names.get(m.arrowReference) !== m.arrowCompanyName);
  await prisma.$transaction(
    changed.map((m) => prisma.customerMapping.update({ where: { uuid: m.uuid }, data: { arrowCompanyName: names.get(m.arrowReference)! } })),
  );
  return { updated: changed.length, settings };
}
