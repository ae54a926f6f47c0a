import { foldText } from '../../nlu/normalize';
import { SUPPORTED_LOCALES } from '../../config/locales';
import { normalizeEmail } from '../../crm/contact';
import type { ContactField } from '../../crm/customers';
import type { I18n } from '../../i18n/i18n';
import type { PromptInput } from '../../../dialogs/prompts/kefuPrompt';
import { addressIn, parsePhone, pickValue } from '../../../dialogs/prompts/parsers';

/** The answer to "what would you like to do with your data?": the action, and the new value when it was typed instead. */
export interface DataAction {
  action: string;
  value?: string;
}

/** An e-mail address inside a sentence. */
const EMAIL_IN = /[^\s@，。,;；:：<>()（）]+@[^\s@，。,;；:：<>()（）]+\.[^\s@，。,;；:：<>()（）]+/u;

/** E-mail first: its words ("email address", "邮箱地址") are taken out before the address's are looked for. */
const FIELDS: ContactField[] = ['email', 'phone', 'address'];

/**
 * The customer's own words about their data (account.myData.changeWords / fieldWords, either
 * language): "手机号换了，帮我改一下" is a change of the phone number; the new number typed where a
 * button was asked for is that change.
 */
export class DataWords {
  private readonly change: string[];
  private readonly fields: [ContactField, string[]][];

  constructor(i18n: I18n) {
    // Longest first: "email address" is taken out whole, before "email" or "address" alone.
    const list = (key: string) => SUPPORTED_LOCALES.flatMap((l) => i18n.list(l, key)).map((w) => w.toLowerCase()).sort((a, b) => b.length - a.length);
    this.change = list('account.myData.changeWords');
    this.fields = FIELDS.map((f) => [f, list(`account.myData.fieldWords.${f}`)]);
  }

  /** The one field a message asks to change, if it names exactly one and a change. */
  fieldToChange(text: string): ContactField | undefined {
    const lower = foldText(text);
    if (!this.change.some((w) => lower.includes(w))) return undefined;
    let rest = lower;
    const named = this.fields.filter(([, words]) => {
      const found = words.filter((w) => rest.includes(w));
      for (const w of found) rest = rest.split(w).join(' ');
      return found.length > 0;
    });
    return named.length === 1 ? named[0][0] : undefined;
  }

  /**
   * The new value the message itself gives for `field` ("change my email to a@b.cn", "手机号换成
   * 13912345678", "地址改成 北京市…"), if it gives one.
   */
  valueIn(field: ContactField, input: PromptInput): string | undefined {
    if (field === 'phone') return parsePhone(input);
    if (field === 'email') {
      const found = EMAIL_IN.exec(input.text)?.[0];
      return found ? normalizeEmail(found.replace(/[.。]+$/u, '')) : undefined;
    }
    return addressIn(input.text);
  }

  /** A button or its name; or a phone number or an e-mail address typed instead (the change of it). */
  parser(): (input: PromptInput) => DataAction | undefined {
    return (input) => {
      const action = pickValue(input);
      if (action) return { action };
      const phone = parsePhone(input);
      if (phone) return { action: 'phone', value: phone };
      const email = normalizeEmail(input.text);
      return email ? { action: 'email', value: email } : undefined;
    };
  }
}
