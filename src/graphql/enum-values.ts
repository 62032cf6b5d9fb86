/**
 * A Prisma enum's values for `builder.enumType`, each with its description (the schema lint wants
 * one on every public enum value); the record's keys must be exactly the enum's.
 */
export function describedValues<E extends Record<string, string>>(_values: E, descriptions: { [K in keyof E]: string }) {
  return Object.fromEntries(Object.entries(descriptions).map(([value, description]) => [value, { value, description }])) as { [K in keyof E]: { value: E[K]; description: string } };
}
