import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

/** `npm start` as a child process (as the README says to run it), with what it prints so far. */
export interface KefuProcess {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line that satisfies the test; rejects if the process exits first or after timeoutMs. */
  waitForLine(test: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/**
 * Runs `npm start --silent` in the repository (or `command` in `cwd`) with the test's environment on
 * top of this one; stdout and stderr are pipes, so the bot logs JSON lines as under a process manager
 * (`script` as the command gives it a terminal instead).
 */
export function startKefu(env: Record<string, string | undefined>, options: { cwd?: string; command?: [string, ...string[]] } = {}): KefuProcess {
  const [command, ...args] = options.command ?? ['npm', 'start', '--silent'];
  // undefined removes a variable of this process (JEST_WORKER_ID, NODE_ENV: to start as outside the tests).
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter((e): e is [string, string] => e[1] !== undefined));
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let all = '';
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    all += chunk.toString();
    for (const w of watchers) w();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    all += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => all,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(test, timeoutMs = 45_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split('\n').find(test);
          if (line === undefined) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no such line after ${timeoutMs} ms: ${all}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        void exited.then((code) => {
          done();
          reject(new Error(`kefu exited with ${code}: ${all}`));
        });
        watchers.add(check);
        check();
      });
    },
  };
}
