import fs from 'node:fs';
import type { ArrowFixture } from '../../src/arrow-sim/fixture.js';

export function loadFixture(name = 'arrow-small'): ArrowFixture {
  return JSON.parse(fs.readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as ArrowFixture;
}
