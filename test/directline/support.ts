import { Observable } from 'rxjs/Observable';
import { AjaxResponse, type AjaxCreationMethod, type AjaxRequest } from 'rxjs/observable/dom/AjaxObservable';
import { WebSocket as NodeWebSocket } from 'ws';
import { DirectLine, type ConnectionStatus, type Activity, type DirectLineOptions } from 'botframework-directlinejs';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { TEST_NOW, TestClock } from '../support/clock';
import { createTestDatabase, type TestDatabase } from '../support/db';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SITE_SECRET = 'test-site-secret-0123456789abcdef0123456789abcdef';

/** A response object shaped like rxjs 5's AjaxResponse (directlinejs reads status, response, xhr.getResponseHeader). */
function ajaxResponse(fields: { status: number; response: unknown; request: AjaxRequest; headers: Headers }): AjaxResponse {
  return Object.assign(Object.create(AjaxResponse.prototype), {
    status: fields.status,
    response: fields.response,
    responseText: typeof fields.response === 'string' ? fields.response : JSON.stringify(fields.response),
    responseType: 'json',
    request: fields.request,
    xhr: { getResponseHeader: (name: string) => fields.headers.get(name) },
  });
}

/** directlinejs' HTTP calls, made with Node's fetch (Node has no XMLHttpRequest). */
const request = (urlOrRequest: string | AjaxRequest): Observable<AjaxResponse> =>
  new Observable<AjaxResponse>((subscriber) => {
    const req: AjaxRequest = typeof urlOrRequest === 'string' ? { url: urlOrRequest, method: 'GET' } : urlOrRequest;
    const controller = new AbortController();
    const timer = req.timeout ? setTimeout(() => controller.abort(), req.timeout) : undefined;
    const headers = Object.fromEntries(Object.entries((req.headers ?? {}) as Record<string, string>).filter(([, v]) => v !== undefined));
    const body = req.body === undefined || req.body === null ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    fetch(req.url ?? '', { method: req.method ?? 'GET', headers, body, signal: controller.signal })
      .then(async (res) => {
        const text = await res.text();
        let response: unknown = text;
        try {
          response = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text
        }
        const out = ajaxResponse({ status: res.status, response, request: req, headers: res.headers });
        if (res.ok) {
          subscriber.next(out);
          subscriber.complete();
        } else subscriber.error(out);
      })
      .catch(() => subscriber.error(ajaxResponse({ status: 0, response: null, request: req, headers: new Headers() })))
      .finally(() => timer && clearTimeout(timer));
    return () => {
      if (timer) clearTimeout(timer);
      controller.abort();
    };
  });

const notUsed = (): never => {
  throw new Error('not used by directlinejs');
};

export const fetchAjax: AjaxCreationMethod = Object.assign(request, {
  get: notUsed,
  post: notUsed,
  put: notUsed,
  patch: notUsed,
  delete: notUsed,
  getJSON: notUsed,
});

/** directlinejs uses the global WebSocket when there is one (Node 20 has none): the ws library's. */
export function provideWebSocket(): void {
  Object.assign(globalThis, { WebSocket: NodeWebSocket });
}

export function directLine(app: App, options: DirectLineOptions): DirectLine {
  return new DirectLine({ domain: `${app.url}/v3/directline`, pollingInterval: 200, timeout: 5000, ajax: fetchAjax, ...options });
}

/**
 * Everything a DirectLine client receives, from one subscription kept for the client's life (directlinejs
 * shares one connection among subscribers and closes it when the last one leaves).
 */
export class Recorder {
  readonly activities: Activity[] = [];
  /** What ended the activity stream, if it failed (e.g. the 403 of an expired token). */
  error?: { status?: number };
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  private readonly subscription: { unsubscribe(): void };

  constructor(readonly dl: DirectLine) {
    this.subscription = dl.activity$.subscribe({
      next: (a) => {
        this.activities.push(a);
        this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
      },
      error: (err: { status?: number }) => (this.error = err),
    });
  }

  /** Resolves with the matching activities once there are `count` of them. */
  waitFor(count: number, match: (a: Activity) => boolean): Promise<Activity[]> {
    const found = () => this.activities.filter(match);
    return new Promise((resolve) => {
      const test = () => found().length >= count;
      if (test()) resolve(found());
      else this.waiters.push({ test, resolve: () => resolve(found()) });
    });
  }

  end(): void {
    this.subscription.unsubscribe();
    this.dl.end();
  }
}

export function statusReached(dl: DirectLine, status: ConnectionStatus): Promise<void> {
  return new Promise((resolve) => {
    const sub = dl.connectionStatus$.subscribe((s) => {
      if (s === status) {
        resolve();
        setImmediate(() => sub.unsubscribe());
      }
    });
  });
}

export function postOnce(dl: DirectLine, activity: Activity): Promise<string> {
  return new Promise((resolve, reject) => dl.postActivity(activity).subscribe({ next: resolve, error: reject }));
}

export interface WebChatTestApp {
  app: App;
  database: TestDatabase;
  uploadDir: string;
  stop(): Promise<void>;
}

/**
 * The real app (all modules) on port 0 with a fresh SQLite test database and the demo shop, its services
 * on the fixed clock (TEST_NOW: the demo shop's orders and dates are the same on every run); Direct Line
 * tokens keep the wall clock.
 */
export async function startWebChatApp(label: string, env: Record<string, string> = {}): Promise<WebChatTestApp> {
  const database = await createTestDatabase('sqlite', label);
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-uploads-'));
  const app = await startApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      DB_SEED_ON_START: 'true',
      DIRECTLINE_TOKEN_SECRET: SITE_SECRET,
      WEBCHAT_UPLOAD_DIR: uploadDir,
      ...env,
    }),
    { clock: new TestClock(TEST_NOW).now, demoSeed: 'rows' },
  );
  return {
    app,
    database,
    uploadDir,
    async stop() {
      await app.stop();
      await database.drop();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

export async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
