import crypto from 'node:crypto';
import { startApp } from '../../src/app';
import { ConfigError } from '../../src/config/schema';
import { cipherFromConfig } from '../../src/features/privacy/config';
import { FieldCipher } from '../../src/store/fieldCrypto';
import { testConfig } from '../support/harness';

/* The key ring from the configuration, and what a sealed value resists. */
const key = () => crypto.randomBytes(32).toString('base64');

describe('the key ring', () => {
  test('when NODE_ENV=production and no KEFU_DATA_KEYS is set, then the start is refused with a message naming the variable', async () => {
    const config = testConfig('file:/nonexistent/never-opened.db', { NODE_ENV: 'production' });
    await expect(startApp(config)).rejects.toThrow(ConfigError);
    await expect(startApp(config)).rejects.toThrow(/KEFU_DATA_KEYS: required with NODE_ENV=production/);
  });

  test('when keys are malformed or the index key is missing, then the configuration error says which', () => {
    expect(() => cipherFromConfig({ KEFU_DATA_KEYS: `k1:${key()}` })).toThrow(/KEFU_INDEX_KEY: required/);
    expect(() => cipherFromConfig({ KEFU_DATA_KEYS: 'k1:c2hvcnQ=', KEFU_INDEX_KEY: key() })).toThrow(/key k1 must be 32 bytes/);
    expect(() => cipherFromConfig({ KEFU_DATA_KEYS: `k1:${key()},k1:${key()}`, KEFU_INDEX_KEY: key() })).toThrow(/appears twice/);
    expect(cipherFromConfig({ NODE_ENV: 'development' }).ring.development).toBe(true);
  });

  test('when a value is sealed, then it carries its key id, opens with the ring, differs each time, and a changed byte or a missing key fails', () => {
    const cipher = cipherFromConfig({ KEFU_DATA_KEYS: `k1:${key()},k0:${key()}`, KEFU_INDEX_KEY: key(), NODE_ENV: 'production' });
    const sealed = cipher.seal('上海市浦东新区世纪大道100号');
    expect(sealed).toMatch(/^enc:v1:k1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(cipher.seal('上海市浦东新区世纪大道100号')).not.toBe(sealed);
    expect(cipher.open(sealed)).toBe('上海市浦东新区世纪大道100号');
    expect(cipher.open('clear, from before the encryption')).toBe('clear, from before the encryption');
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[5], 'base64url');
    ct[0] ^= 1;
    expect(() => cipher.open([...parts.slice(0, 5), ct.toString('base64url')].join(':'))).toThrow();
    expect(() => new FieldCipher().open(sealed)).toThrow(/sealed with key "k1", which is not in KEFU_DATA_KEYS/);
    expect(cipher.blindIndex('phone', '13812345678')).toBe(cipher.blindIndex('phone', '13812345678'));
    expect(cipher.blindIndex('phone', '13812345678')).not.toBe(new FieldCipher().blindIndex('phone', '13812345678'));
  });
});
