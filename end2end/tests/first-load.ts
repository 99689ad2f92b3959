import { expect, type BrowserContext, type CDPSession, type Page } from "@playwright/test";
import { tokenFor, type Role } from "./auth";

/** Signs the context in through the sign-in endpoint, without loading any page (the cache stays empty). */
export async function signInWithoutPage(context: BrowserContext, role: Role) {
  const answer = await context.request.post("/api/auth/login", {
    form: { token: tokenFor(role), next: "/" },
    maxRedirects: 0,
    headers: { "Sec-Fetch-Site": "same-origin" },
  });
  expect(answer.status(), await answer.text()).toBe(303);
}

export type Transfer = {
  url: string;
  /** Bytes on the wire as Chromium's network log counts them (headers and body). */
  encoded: number;
  fromCache: boolean;
  headers: Record<string, string>;
};

/** Records every response the page receives over the DevTools protocol's network log. */
export async function recordTransfers(page: Page): Promise<{ cdp: CDPSession; transfers: Map<string, Transfer> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const transfers = new Map<string, Transfer>();
  cdp.on("Network.responseReceived", (e) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(e.response.headers)) headers[k.toLowerCase()] = String(v);
    transfers.set(e.requestId, {
      url: e.response.url,
      encoded: 0,
      fromCache: !!(e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker),
      headers,
    });
  });
  cdp.on("Network.requestServedFromCache", (e) => {
    const t = transfers.get(e.requestId);
    if (t) t.fromCache = true;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const t = transfers.get(e.requestId);
    if (t) t.encoded = e.encodedDataLength;
  });
  return { cdp, transfers };
}

export function total(transfers: Map<string, Transfer>, pattern: RegExp): number {
  let sum = 0;
  for (const t of transfers.values()) if (pattern.test(new URL(t.url).pathname)) sum += t.encoded;
  return sum;
}
