import { companyName, rng } from '../arrow-sim/generate.js';
import type { ArrowFixture } from '../arrow-sim/fixture.js';
import type { WaldurFixture } from './fixture.js';

export interface GenerateWaldurOptions {
  /** The Arrow side the Waldur is made to match (names like its customers and licences). */
  arrow: ArrowFixture;
  customers: number;
  resources: number;
  /** The first this many customers have half of their resources linked to their licences. */
  linked: number;
  token: string;
  seed?: number;
}

/**
 * A Waldur to go with a generated Arrow: a customer named like each Arrow customer (without the
 * legal suffix) and the rest random, a project each, resources named like licences (half of a
 * linked customer's holding their licence) with their done Create orders. UUIDs are fixed by
 * position, so the same options give the same Waldur (and the same mappings) every run.
 */
export function generateWaldurFixture(options: GenerateWaldurOptions): WaldurFixture {
  const { arrow } = options;
  const random = rng(options.seed ?? 11);
  const names = Array.from({ length: options.customers }, (_, i) =>
    i < arrow.customers.length ? arrow.customers[i]!.CompanyName.split(' ').slice(0, 3).join(' ') : companyName(random),
  );
  const offering = generatedUuid('offering', 0);
  const waldur: WaldurFixture = {
    token: options.token,
    customers: names.map((name, i) => ({ uuid: generatedUuid('customer', i), name, abbreviation: name.split(' ').map((w) => w[0]).join('') })),
    projects: names.map((_, i) => ({ uuid: generatedUuid('project', i), name: 'Production', customer: generatedUuid('customer', i) })),
    offerings: [{ uuid: offering, name: 'Arrow licences', type: 'Marketplace.Basic' }],
    resources: [],
    orders: [],
  };
  const perCustomer = Math.max(1, Math.floor(options.resources / Math.max(1, options.customers)));
  const licencesOf = new Map<string, ArrowFixture['licenses']>();
  for (const l of arrow.licenses) licencesOf.set(l.customer_ref, [...(licencesOf.get(l.customer_ref) ?? []), l]);
  for (let i = 0; i < names.length; i++) {
    const own = i < arrow.customers.length ? (licencesOf.get(arrow.customers[i]!.Reference) ?? []) : [];
    for (let k = 0; k < perCustomer; k++) {
      const licence = own[k];
      const uuid = generatedUuid('resource', i * perCustomer + k);
      waldur.resources.push({ uuid, name: licence ? licence.name : `Resource ${k}`, backend_id: licence && i < options.linked && k < perCustomer / 2 ? licence.license_id : '', project: generatedUuid('project', i), offering });
      waldur.orders!.push({ uuid: generatedUuid('order', i * perCustomer + k), resource: uuid, type: 'Create', state: 'done' });
    }
  }
  return waldur;
}

const KINDS = { customer: 1, project: 2, resource: 3, mapping: 4, offering: 5, order: 6 } as const;

/** The uuid of a generated object: its kind and position, readable in a log. */
export function generatedUuid(kind: keyof typeof KINDS, i: number): string {
  return `00000000-0000-4000-8${KINDS[kind].toString(16).padStart(3, '0')}-${i.toString(16).padStart(12, '0')}`;
}
