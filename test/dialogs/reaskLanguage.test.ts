import type { Locale } from '../../src/config/locales';
import { DialogEnv, type Turn } from './support';

/*
 * A customer who answers a question in the other language, with something the bot cannot use, is
 * asked again in the language they wrote in, not in the language the question was first asked in.
 */
const env = new DialogEnv();
beforeAll(() => env.start(), 60_000);
afterAll(() => env.stop());

test.each<[Locale, Turn[]]>([
  [
    'zh-CN',
    [
      ['我要投诉', ['请问您要投诉哪方面？'], { dialog: 'kefu.complaint' }],
      ['hmm, not sure which one fits, maybe both', ['Please tap one of the options, or type its name or number'], { absent: ['请点击一个选项'], dialog: 'kefu.complaint' }],
    ],
  ],
  [
    'en-US',
    [
      ['I want to make a complaint', ['What is your complaint about?'], { dialog: 'kefu.complaint' }],
      ['嗯 不太确定是哪一个 都有点吧', ['请点击一个选项，或输入它的名称或序号'], { absent: ['Please tap one of the options'], dialog: 'kefu.complaint' }],
    ],
  ],
])('(%s) when the customer answers a question in the other language with something unclear, then the question is asked again in the language they wrote in', async (locale, turns) => {
  await (await env.chat({ locale })).play(turns);
});
