import fs from 'node:fs';
import path from 'node:path';
import { configSchema, loadConfig } from '../../src/config/config';

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');

function exampleEntries(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of EXAMPLE.split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

describe('.env.example', () => {
  test('when .env.example is compared with the configuration schema, then it documents every variable and nothing that is not one', () => {
    expect(Object.keys(exampleEntries()).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  test('when copied as it is, then it is a valid configuration', () => {
    expect(() => loadConfig(exampleEntries())).not.toThrow();
  });
});
