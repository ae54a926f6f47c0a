import { SUPPORTED_LOCALES } from '../../src/config/locales';
import { I18n, interpolate, loadLocaleFiles, flatten, normalizeLocale } from '../../src/i18n/i18n';

describe('locale files', () => {
  const bundles = loadLocaleFiles();

  test('when the locale files are loaded, then every locale has exactly the same keys (no string missing in zh-CN or en-US)', () => {
    const [first, ...rest] = SUPPORTED_LOCALES;
    const keysOf = (l: (typeof SUPPORTED_LOCALES)[number]) => Object.keys(flatten(bundles[l])).sort();
    for (const other of rest) expect(keysOf(other)).toEqual(keysOf(first));
  });

  test('when every message of every locale is read, then none is empty', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const [key, value] of Object.entries(flatten(bundles[locale]))) {
        const empty = Array.isArray(value) ? value.length === 0 : String(value).trim() === '';
        if (empty) throw new Error(`${locale}:${key} is empty`);
      }
    }
  });

  test('when a message has placeholders, then both languages use the same ones', () => {
    const i18n = new I18n(bundles);
    const names = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of i18n.keys('zh-CN')) {
      const zh = i18n.raw<unknown>('zh-CN', key);
      const en = i18n.raw<unknown>('en-US', key);
      if (typeof zh === 'string' && typeof en === 'string') expect({ key, names: names(en) }).toEqual({ key, names: names(zh) });
    }
  });
});

describe('i18n', () => {
  test('when a key has placeholders, then they are filled and unknown ones are left visible', () => {
    expect(interpolate('订单 {number} 已发货，{unknown}', { number: 'KF1' })).toBe('订单 KF1 已发货，{unknown}');
  });

  test('when a key is missing, then t() throws instead of showing a raw key to a customer', () => {
    expect(() => new I18n().t('en-US', 'messages.no.such.key')).toThrow(/Missing locale key/);
  });

  test('when a channel sends a locale such as zh-Hans-CN or en-GB, then it maps to a supported one, and an unsupported one to none', () => {
    expect(['zh', 'zh-cn', 'zh-Hans-CN', 'zh_TW', 'en', 'en-GB', 'EN-us', 'fr-FR', '', undefined].map(normalizeLocale)).toEqual([
      'zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en-US', 'en-US', 'en-US', undefined, undefined, undefined,
    ]);
  });
});
