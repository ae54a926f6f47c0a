import { DEFAULT_DECISION_POLICY, decide } from '../../src/nlu/decision';

const policy = { threshold: 0.4, margin: 0.2, pairFloor: 0.55, softThreshold: 0.3 };

describe('what the bot does with a recognition', () => {
  test('when one request clearly leads, then the bot routes to it', () => {
    expect(decide([{ intent: 'ticket_status', score: 0.8 }, { intent: 'return_request', score: 0.15 }], policy)).toEqual({ kind: 'route', intent: 'ticket_status' });
  });

  test('when two requests score close together, then the bot asks which one, best first', () => {
    expect(decide([{ intent: 'return_request', score: 0.45 }, { intent: 'exchange_request', score: 0.4 }], policy)).toEqual({
      kind: 'ask',
      intents: ['return_request', 'exchange_request'],
    });
    // Close but both weak: no question, not understood.
    expect(decide([{ intent: 'return_request', score: 0.25 }, { intent: 'exchange_request', score: 0.2 }], policy)).toEqual({ kind: 'notUnderstood' });
  });

  test('when small talk or out of scope is close to a request, then the bot never asks about them', () => {
    expect(decide([{ intent: 'out_of_scope', score: 0.45 }, { intent: 'order_status', score: 0.4 }], policy)).toEqual({ kind: 'route', intent: 'out_of_scope' });
    expect(decide([{ intent: 'order_status', score: 0.45 }, { intent: 'chitchat', score: 0.4 }], policy)).toEqual({ kind: 'route', intent: 'order_status' });
  });

  test('when small talk or out of scope leads with a modest score, then it is answered; a request that weak is not', () => {
    expect(decide([{ intent: 'out_of_scope', score: 0.33 }, { intent: 'order_status', score: 0.1 }], policy)).toEqual({ kind: 'route', intent: 'out_of_scope' });
    expect(decide([{ intent: 'order_status', score: 0.33 }, { intent: 'out_of_scope', score: 0.1 }], policy)).toEqual({ kind: 'notUnderstood' });
    expect(decide([{ intent: 'none', score: 0.9 }], policy)).toEqual({ kind: 'notUnderstood' });
    expect(decide([], policy)).toEqual({ kind: 'notUnderstood' });
  });

  test('when the bot uses its default policy, then it acts alone from the recognizer threshold', () => {
    expect(DEFAULT_DECISION_POLICY.threshold).toBe(0.4);
    expect(DEFAULT_DECISION_POLICY.softThreshold).toBeLessThan(DEFAULT_DECISION_POLICY.threshold);
  });
});
