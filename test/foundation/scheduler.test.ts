import { scheduleJobs } from '../../src/jobs/scheduler';
import { createLogger } from '../../src/logger';
import { TEST_NOW, TestClock } from '../support/clock';

describe('scheduled jobs', () => {
  test("when a job runs, then it is handed the app's clock (the services' now), not the wall clock", async () => {
    const clock = new TestClock(TEST_NOW);
    let ran!: (now: Date) => void;
    const firstRun = new Promise<Date>((resolve) => (ran = resolve));
    // Six fields: every second, so the first run comes within a second.
    const jobs = scheduleJobs([{ name: 'test.clock', schedule: '* * * * * *', run: async (now) => ran(now) }], 'Asia/Shanghai', createLogger('silent'), clock.now);
    try {
      expect(await firstRun).toEqual(new Date('2026-11-26T10:00:00+08:00'));
    } finally {
      await jobs.stop();
    }
  });

  test('when a cron expression is invalid, then scheduling fails naming the job', () => {
    expect(() => scheduleJobs([{ name: 'test.bad', schedule: 'every minute', run: async () => undefined }], 'Asia/Shanghai', createLogger('silent'))).toThrow('Job test.bad: invalid cron expression "every minute"');
  });
});
