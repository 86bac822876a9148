/**
 * A browser without the browser: fetch with a cookie jar per host, following redirects by hand
 * so each hop's Set-Cookie lands (as a browser stores them: name=value, Max-Age=0 deletes).
 */
export class WebClient {
  private jar = new Map<string, Map<string, string>>();
  /** Every URL the last go() passed through, the first included. */
  hops: string[] = [];

  constructor(private headers: Record<string, string> = {}) {}

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  setCookie(host: string, name: string, value: string): void {
    const j = this.jar.get(host) ?? new Map<string, string>();
    j.set(name, value);
    this.jar.set(host, j);
  }

  /** A copy that shares nothing later on: another browser holding the same cookies now. */
  clone(): WebClient {
    const c = new WebClient(this.headers);
    for (const [h, j] of this.jar) c.jar.set(h, new Map(j));
    return c;
  }

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const j = this.jar.get(url.host) ?? new Map<string, string>();
      if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) j.delete(name);
      else j.set(name, value);
      this.jar.set(url.host, j);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...(this.jar.get(u.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(u, { ...init, redirect: "manual", headers: { ...this.headers, ...(cookies ? { cookie: cookies } : {}), ...(init.headers as Record<string, string>) } });
    this.store(u, res);
    return res;
  }

  /** GET, following redirects; the last response. */
  async go(url: string, init: RequestInit = {}): Promise<{ res: Response; url: string; body: string }> {
    this.hops = [url];
    let res = await this.request(url, init);
    let at = url;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400 && res.headers.get("location"); i++) {
      at = new URL(res.headers.get("location")!, at).href;
      this.hops.push(at);
      res = await this.request(at);
    }
    return { res, url: at, body: await res.text() };
  }

  /** A form POST as a browser sends it from a page of `origin`; then follows the redirect. */
  async post(url: string, fields: Record<string, string>, origin: string | null = new URL(url).origin) {
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (origin) headers.origin = origin;
    const first = await this.request(url, { method: "POST", body: new URLSearchParams(fields).toString(), headers });
    if (first.status !== 303) return { res: first, url, body: await first.text() };
    return this.go(new URL(first.headers.get("location")!, url).href);
  }
}

/** The page's form token (every form of a session carries the same one). */
export const csrfOf = (body: string): string => /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? "";
