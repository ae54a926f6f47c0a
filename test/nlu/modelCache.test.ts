import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalRecognizer } from '../../src/nlu/localRecognizer';
import { DEFAULT_LOCALES_DIR } from '../../src/nlu/trainingData';
import type { Locale } from '../../src/nlu/types';

/*
 * The trained intent models are kept between starts (src/nlu/modelCache.ts): a bot that starts again
 * reads them instead of training, and must understand every message exactly as the trained one did.
 */
const LOCALES: Locale[] = ['zh-CN', 'en-US'];
const heldOut = (locale: Locale): string[] =>
  Object.values(JSON.parse(fs.readFileSync(path.join(__dirname, `heldout.${locale}.json`), 'utf8')) as Record<string, string[]>).flat();

describe('trained models kept between starts', () => {
  let dir: string;
  const start = async (options: { localesDir?: string } = {}) => {
    const r = new LocalRecognizer({ modelCacheDir: dir, warmUpEntities: false, ...options });
    await r.init();
    return r;
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-models-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when the bot starts again on the same training data, then it reads the models and scores every held-out message exactly as after training', async () => {
    const trained = await start();
    expect(trained.timings?.cached).toEqual([]);
    const again = await start();
    expect(again.timings?.cached).toEqual(LOCALES);
    for (const locale of LOCALES) {
      const messages = heldOut(locale);
      expect(messages.length).toBeGreaterThan(100);
      for (const text of messages) expect(await again.classifyOnly(text, locale)).toEqual(await trained.classifyOnly(text, locale));
    }
    expect((await again.recognize('我的订单到哪了', { locale: 'zh-CN', now: new Date(), timezone: 'Asia/Shanghai' })).intent).toBe('order_status');
  });

  test('when the training data of one language changes, then that language is trained again and the other is read', async () => {
    const locales = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-locales-'));
    try {
      fs.cpSync(DEFAULT_LOCALES_DIR, locales, { recursive: true });
      await start({ localesDir: locales });
      const file = path.join(locales, 'en-US', 'nlu', 'intents.json');
      const intents = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>;
      intents.order_status!.push('any news on the parcel i bought for my mum');
      fs.writeFileSync(file, JSON.stringify(intents));
      const changed = await start({ localesDir: locales });
      expect(changed.timings?.cached).toEqual(['zh-CN']);
      expect((await start({ localesDir: locales })).timings?.cached).toEqual(LOCALES);
    } finally {
      fs.rmSync(locales, { recursive: true, force: true });
    }
  });

  test('when a kept model is damaged or cut short, then the bot trains again, answers as before and replaces the file', async () => {
    const trained = await start();
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, name.includes('zh-CN') ? '{"format":1,' : fs.readFileSync(file, 'utf8').replace('"weights":"', '"weights":"AAAA'));
    }
    const repaired = await start();
    expect(repaired.timings?.cached).toEqual([]);
    expect(await repaired.classifyOnly('has my refund gone through yet', 'en-US')).toEqual(await trained.classifyOnly('has my refund gone through yet', 'en-US'));
    expect((await start()).timings?.cached).toEqual(LOCALES);
  });

  test('when the cache cannot be written, then the bot trains at every start and still understands', async () => {
    fs.writeFileSync(path.join(dir, 'blocked'), '');
    const r = new LocalRecognizer({ modelCacheDir: path.join(dir, 'blocked', 'models'), warmUpEntities: false });
    await r.init();
    expect(r.timings?.cached).toEqual([]);
    expect((await r.recognize('where is my order', { locale: 'en-US', now: new Date(), timezone: 'Asia/Shanghai' })).intent).toBe('order_status');
  });
});
