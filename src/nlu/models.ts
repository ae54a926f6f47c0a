import { ChoiceRecognizer } from '@microsoft/recognizers-text-choice';
import { DateTimeRecognizer, type IDateTimeModel } from '@microsoft/recognizers-text-date-time';
import { NumberRecognizer } from '@microsoft/recognizers-text-number';
import { NumberWithUnitRecognizer } from '@microsoft/recognizers-text-number-with-unit';
import { SequenceRecognizer } from '@microsoft/recognizers-text-sequence';
import type { IModel, ModelResult } from '@microsoft/recognizers-text';

/**
 * The recognizers-text models, built once per culture. The suite's recognizeX(query, culture)
 * functions build a new recognizer, with every culture's regexes, on each call: for English
 * numbers that was ~3 ms a call against ~0.3 ms with the model kept (measured, see bench:nlu).
 * Same signatures as the suite's functions, so call sites read the same.
 */
const cache = new Map<string, IModel | IDateTimeModel>();

function cached<T extends IModel | IDateTimeModel>(key: string, build: () => T): T {
  let model = cache.get(key) as T | undefined;
  if (!model) {
    model = build();
    cache.set(key, model);
  }
  return model;
}

export function recognizeNumber(query: string, culture: string): ModelResult[] {
  return cached(`number:${culture}`, () => new NumberRecognizer(culture).getNumberModel(culture, true)).parse(query);
}

export function recognizeOrdinal(query: string, culture: string): ModelResult[] {
  return cached(`ordinal:${culture}`, () => new NumberRecognizer(culture).getOrdinalModel(culture, true)).parse(query);
}

export function recognizeCurrency(query: string, culture: string): ModelResult[] {
  return cached(`currency:${culture}`, () => new NumberWithUnitRecognizer(culture).getCurrencyModel(culture, true)).parse(query);
}

export function recognizePhoneNumber(query: string, culture: string): ModelResult[] {
  return cached(`phone:${culture}`, () => new SequenceRecognizer(culture).getPhoneNumberModel(culture, true)).parse(query);
}

export function recognizeEmail(query: string, culture: string): ModelResult[] {
  return cached(`email:${culture}`, () => new SequenceRecognizer(culture).getEmailModel(culture, true)).parse(query);
}

export function recognizeBoolean(query: string, culture: string): ModelResult[] {
  return cached(`boolean:${culture}`, () => new ChoiceRecognizer(culture).getBooleanModel(culture, true)).parse(query);
}

export function recognizeDateTime(query: string, culture: string, _options: undefined, referenceDate: Date): ModelResult[] {
  return cached(`datetime:${culture}`, () => new DateTimeRecognizer(culture).getDateTimeModel(culture, true)).parse(query, referenceDate);
}
