import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line that cannot be carried out: said in one line, with the usage after it. */
export class UsageError extends Error {}

/** Prints what is wrong and the usage, and exits 2 (never a stack trace). */
export function exitWithUsage(program: string, usage: string, message: string): never {
  console.error(`${program}: ${message}\n${usage}`);
  process.exit(2);
}

/** node:util's parse errors in one short line each. */
function plainly(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const unexpected = /Unexpected argument '([^']+)'/.exec(message);
  if (unexpected) return `unexpected argument ${unexpected[1]}`;
  const missing = /Option '(-[^ ']+)[^']*' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  const ambiguous = /Option '(-[^ ']+)[^']*' argument is ambiguous/.exec(message);
  if (ambiguous) return `${ambiguous[1]} takes a value; a value starting with - is written ${ambiguous[1]}=VALUE`;
  return message.split('\n')[0]!;
}

/**
 * Strict parsing of the process's arguments: `--help` prints the usage and exits 0; an unknown
 * option, a missing value or a stray argument exits 2 with one line and the usage.
 */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(program: string, usage: string, options: O, allowPositionals = false) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    return exitWithUsage(program, usage, plainly(err));
  }
}

/** A whole number from `min` to `max`, or a UsageError naming the option. */
export function integerOption(name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, not "${value}"`);
  }
  return Number(value);
}
