import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { CONFIG_VARIABLES, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(4000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.ARROW_CACHE_TTL_SECONDS).toBe(60);
  });

  it('loads demo data by default on the embedded database only', () => {
    expect(loadConfig({}).DEMO_DATA).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/x' }).DEMO_DATA).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/x', DEMO_DATA: 'true' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
  });

  it.each([
    [{ ARROW_API_KEY: 'a-secret-key' }, /^Invalid ARROW_API_KEY: needs ARROW_API_URL/],
    [{ WALDUR_API_TOKEN: 'a-waldur-token' }, /^Invalid WALDUR_API_TOKEN: needs WALDUR_API_URL/],
    [{ WALDUR_API_URL: 'https://waldur.example.com' }, /^Invalid WALDUR_API_URL: needs WALDUR_API_TOKEN/],
    [{ WALDUR_SYNC_INTERVAL_SECONDS: '-1' }, /^Invalid WALDUR_SYNC_INTERVAL_SECONDS/],
    // as the CLIs say it, not the validator's "expected number, received NaN"
    [{ PORT: 'abc' }, /^Invalid PORT: must be a whole number from 0 to 65535, not "abc"$/],
    [{ PORT: '70000' }, /^Invalid PORT: must be a whole number from 0 to 65535, not "70000"$/],
    [{ DATABASE_URL: 'mysql://x' }, /^Invalid DATABASE_URL: must be a postgresql:\/\/ URL$/],
    [{ ADMIN_TOKEN: 'short' }, /^Invalid ADMIN_TOKEN: must be at least 20 characters$/],
    [{ LOG_LEVEL: 'loud' }, /^Invalid LOG_LEVEL: /],
  ])('rejects %o with a one-line error naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('never repeats a secret value in its error', () => {
    expect(() => loadConfig({ ADMIN_TOKEN: 'tiny-secret' })).toThrow(/^(?!.*tiny-secret)/);
    expect(() => loadConfig({ ARROW_API_KEY: 'arrow-secret' })).toThrow(/^(?!.*arrow-secret)/);
    expect(() => loadConfig({ WALDUR_API_TOKEN: 'waldur-secret' })).toThrow(/^(?!.*waldur-secret)/);
  });

  it('is documented: the README lists every variable, and no other', () => {
    const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
