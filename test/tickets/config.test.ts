import { ConfigError } from '../../src/config/schema';
import { loadConfig } from '../../src/config/config';
import { policiesFromConfig } from '../../src/features/tickets/index';
import { DEFAULT_SLA_POLICIES } from '../../src/features/tickets/sla';

describe('tickets configuration', () => {
  it('when no SLA override is set, then the handbook defaults apply', () => {
    const config = loadConfig({});
    expect(policiesFromConfig(config.TICKETS_SLA_POLICIES)).toEqual(DEFAULT_SLA_POLICIES);
    expect([config.TICKETS_SLA_WARN_RATIO, config.TICKETS_REOPEN_WINDOW_DAYS, config.TICKETS_SLA_WATCH_CRON]).toEqual([0.8, 7, '* * * * *']);
  });

  it('when an override sets complaints to 4 working hours for the first response, then only that target changes', () => {
    const config = loadConfig({ TICKETS_SLA_POLICIES: '{"complaint":{"firstResponse":{"amount":4,"unit":"working_hours"}}}' });
    const policies = policiesFromConfig(config.TICKETS_SLA_POLICIES);
    expect(policies.complaint).toEqual({ firstResponse: { amount: 4, unit: 'working_hours' }, resolution: { amount: 48, unit: 'hours' } });
  });

  it('when the override is not JSON, then loading the config fails naming the key', () => {
    expect(() => loadConfig({ TICKETS_SLA_POLICIES: '{complaint: 4h}' })).toThrow(/TICKETS_SLA_POLICIES: must be a JSON object/);
  });

  it('when the override names an unknown unit or category, then start-up fails naming the key and the field', () => {
    const load = () => policiesFromConfig('{"complaint":{"resolution":{"amount":2,"unit":"weeks"}},"refund":{}}');
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/TICKETS_SLA_POLICIES\.complaint\.resolution\.unit/);
    expect(load).toThrow(/TICKETS_SLA_POLICIES: Unrecognized key: "refund"/);
  });
});
