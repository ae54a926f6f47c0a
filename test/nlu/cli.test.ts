import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = path.join(root, 'src', 'cli', 'nlu.ts');

describe('nlu CLI', () => {
  test('when two messages (and a blank line) are piped in, then two JSON lines come out', () => {
    const res = spawnSync(tsx, [cli, '--locale', 'en-US'], {
      cwd: root,
      input: 'where is my order KF202611250042\n\n我要退货\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(first ?? {})).toEqual(['text', 'locale', 'intent', 'score', 'entities']);
    expect(first).toMatchObject({ text: 'where is my order KF202611250042', locale: 'en-US', intent: 'order_status' });
    expect(first?.entities).toEqual([expect.objectContaining({ type: 'order_number', value: 'KF202611250042' })]);
    expect(second).toMatchObject({ text: '我要退货', locale: 'zh-CN', intent: 'return_request' });
  }, 60_000);

  test('when --locale is not supported, then a clear error on stderr and exit code 2', () => {
    const res = spawnSync(tsx, [cli, '--locale', 'fr-FR'], { cwd: root, input: 'bonjour\n', encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--locale must be one of zh-CN, en-US/);
    expect(res.stdout).toBe('');
  }, 60_000);
});
