/**
 * Where the bot may send replies when Bot Framework authentication is off (no MicrosoftAppId): the
 * activity's `serviceUrl` is then the caller's word, and without a check anyone could make the bot
 * POST to any address (an internal service, the cloud's metadata endpoint) and keep it for later
 * proactive messages. Allowed: the bot's own origins (the built-in web chat's connector) and the
 * patterns of BOT_SERVICE_URLS, e.g. `https://channel.example.com`, `http://localhost:*` (any port,
 * for the Bot Framework Emulator). With an app id the SDK checks the caller's token instead.
 */
export class ServiceUrlPolicy {
  private readonly patterns: { protocol: string; hostname: string; port: string | '*' }[];
  private readonly own = new Set<string>();

  constructor(configured: string) {
    this.patterns = configured
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const anyPort = /:\*\/?$/.test(p);
        const u = new URL(anyPort ? p.replace(/:\*\/?$/, '') : p);
        return { protocol: u.protocol, hostname: u.hostname.toLowerCase(), port: anyPort ? '*' : u.port };
      });
  }

  /** Adds one of the bot's own origins (its listening URL, WEBCHAT_PUBLIC_URL). */
  addOwn(url: string | undefined): void {
    if (url) this.own.add(new URL(url).origin);
  }

  allows(serviceUrl: string): boolean {
    let u: URL;
    try {
      u = new URL(serviceUrl);
    } catch {
      return false;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    if (u.username || u.password) return false;
    if (this.own.has(u.origin)) return true;
    return this.patterns.some((p) => p.protocol === u.protocol && p.hostname === u.hostname.toLowerCase() && (p.port === '*' || p.port === u.port));
  }
}
