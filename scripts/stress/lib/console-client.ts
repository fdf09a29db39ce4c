// An HTTP client that uses the console the way a reviewer's browser does: signs in through the login
// server action (session cookie), loads pages, calls server actions with the Next-Action header and the
// React Flight reply encoding, and reads the agents' API with a bearer token. Every request's latency
// is recorded per path label; every failure (network error, HTTP status >= 400, an action that
// answers `ok: false` for a reason other than a lost race) is counted with a sample.
import { LatencyRecorder } from './latency';

export interface Failure {
  path: string;
  detail: string;
}

export class Outcomes {
  readonly latency = new LatencyRecorder();
  readonly failures: Failure[] = [];
  requests = 0;

  fail(path: string, detail: string): void {
    this.failures.push({ path, detail: detail.slice(0, 500) });
  }
}

export interface HttpResult {
  status: number;
  text: string;
  headers: Headers;
}

/** The value a server action returned, from its text/x-component (React Flight) response. */
export function parseActionResult(body: string): unknown {
  const rows = new Map<string, string>();
  for (const line of body.split('\n')) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match) rows.set(match[1]!, match[2]!);
  }
  const root = rows.get('0');
  if (root === undefined) throw new Error(`No root row in the action response: ${body.slice(0, 200)}`);
  const reference = (JSON.parse(root) as { a?: unknown }).a;
  if (typeof reference !== 'string' || !reference.startsWith('$@'))
    throw new Error(`No action result in the response: ${body.slice(0, 200)}`);
  const row = rows.get(reference.slice(2));
  if (row === undefined) throw new Error(`The action result row is missing: ${body.slice(0, 200)}`);
  return JSON.parse(row);
}

export class ConsoleClient {
  private cookie = '';

  constructor(
    readonly baseURL: string,
    readonly outcomes: Outcomes,
    private readonly bearer?: string,
  ) {}

  /** One request, timed under `label`; never throws (a network error is status 0). */
  async request(label: string, url: string, init: RequestInit = {}): Promise<HttpResult> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    if (this.bearer) headers.set('authorization', `Bearer ${this.bearer}`);
    const started = performance.now();
    this.outcomes.requests += 1;
    try {
      const response = await fetch(new URL(url, this.baseURL), {
        ...init,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      this.outcomes.latency.record(label, performance.now() - started);
      const setCookie = response.headers.getSetCookie();
      for (const cookie of setCookie) {
        const pair = cookie.split(';')[0]!;
        if (pair.startsWith('fu_session=')) this.cookie = pair;
      }
      if (response.status >= 400)
        this.outcomes.fail(label, `HTTP ${response.status} ${url}: ${text.slice(0, 300)}`);
      return { status: response.status, text, headers: response.headers };
    } catch (error) {
      this.outcomes.latency.record(label, performance.now() - started);
      this.outcomes.fail(label, `${url}: ${(error as Error).message}`);
      return { status: 0, text: '', headers: new Headers() };
    }
  }

  get(label: string, url: string): Promise<HttpResult> {
    return this.request(label, url);
  }

  /** Calls a server action as the page at `pageUrl` does; returns its parsed result (or undefined). */
  async action(label: string, pageUrl: string, actionId: string, body: BodyInit): Promise<unknown> {
    const headers: Record<string, string> = {
      'next-action': actionId,
      accept: 'text/x-component',
      origin: this.baseURL,
    };
    if (typeof body === 'string') headers['content-type'] = 'text/plain;charset=UTF-8';
    const response = await this.request(label, pageUrl, { method: 'POST', headers, body });
    if (response.status === 0 || response.status >= 400) return undefined;
    try {
      return parseActionResult(response.text);
    } catch (error) {
      this.outcomes.fail(label, (error as Error).message);
      return undefined;
    }
  }

  /**
   * Signs in through the login form's server action (useActionState: `login(previousState, formData)`,
   * the FormData's fields prefixed `_1_` as React's encodeReply does). Throws when no session cookie came back.
   */
  async signIn(loginActionId: string, username: string, password: string): Promise<void> {
    const form = new FormData();
    form.set('_1_next', '/');
    form.set('_1_username', username);
    form.set('_1_password', password);
    // The root goes last, as encodeReply writes it: the server reads the referenced parts in order.
    form.set('0', JSON.stringify([{}, '$K1']));
    // A successful sign-in redirects: the response is the next page's payload, not an action result.
    const response = await this.request('POST /login (sign in)', '/login', {
      method: 'POST',
      headers: { 'next-action': loginActionId, accept: 'text/x-component', origin: this.baseURL },
      body: form,
    });
    if (response.status !== 200 && !(response.status >= 300 && response.status < 400))
      throw new Error(`Signing in as ${username} failed with HTTP ${response.status}.`);
    if (!this.cookie) throw new Error(`Signing in as ${username} gave no session cookie.`);
  }

  /** Uses another client's session (e.g. for requests recorded apart). */
  adopt(other: ConsoleClient): void {
    this.cookie = other.cookie;
  }

  /** The session cookie as a Cookie header value (for other HTTP clients, e.g. autocannon). */
  get cookieHeader(): string {
    return this.cookie;
  }
}

export interface ApprovalOutcome {
  kind: 'acknowledged' | 'stale' | 'failed';
  /** The post's version after the approval (acknowledged). */
  version?: number;
}

/** Classifies an approve/reject action result: a lost race is a clean "stale", not an error. */
export function classifyDecision(result: unknown): ApprovalOutcome {
  if (!result || typeof result !== 'object') return { kind: 'failed' };
  const value = result as { ok?: boolean; code?: string; post?: { version?: number } };
  if (value.ok === true) return { kind: 'acknowledged', version: value.post?.version };
  if (value.code === 'conflict' || value.code === 'invalid_transition') return { kind: 'stale' };
  return { kind: 'failed' };
}
