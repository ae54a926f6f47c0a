import { timeOrderedId } from '../../src/store/ids';

describe('time-ordered transcript ids (UUID v7)', () => {
  test('when an id is made, then it is a version-7, RFC 9562 variant UUID carrying the time', () => {
    const at = Date.UTC(2026, 10, 26, 2, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  test('when ids are made over time, then sorting them as text sorts them by time', () => {
    const start = Date.UTC(2026, 0, 1);
    const times = Array.from({ length: 500 }, (_, i) => start + i * 7919 * (i % 3 === 0 ? 1000 : 1));
    times.sort((a, b) => a - b);
    const ids = times.map((t) => timeOrderedId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  test('when many ids are made in the same millisecond, then they are all different', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
