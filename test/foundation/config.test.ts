import { ConfigError } from '../../src/config/schema';
import { loadConfig } from '../../src/config/config';

describe('configuration', () => {
  test('when nothing is set, then the defaults give a local bot on the embedded SQLite store', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3978, DATABASE_URL: 'file:./data/kefu.db', DEFAULT_LOCALE: 'zh-CN', TIMEZONE: 'Asia/Shanghai', MicrosoftAppId: '' });
  });

  test('when a value is bad, then start-up stops with a message naming each bad variable', () => {
    const load = () => loadConfig({ PORT: 'eighty', DEFAULT_LOCALE: 'fr-FR', TIMEZONE: 'Mars/Olympus', DATABASE_URL: 'mysql://x' });
    expect(load).toThrow(ConfigError);
    for (const name of ['PORT', 'DEFAULT_LOCALE', 'TIMEZONE', 'DATABASE_URL']) expect(load).toThrow(name);
  });

  test('when a variable is set to an empty string, then its default applies', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' })).toMatchObject({ PORT: 3978, LOG_LEVEL: 'info' });
  });
});
