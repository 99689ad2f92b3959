import { test, expect } from "@playwright/test";
import { recordTransfers, signInWithoutPage, total } from "./first-load";

// What a browser downloads to make the Status page interactive on a first visit, and that a
// second visit takes the bundle from its cache. The budget is the goal of 350 KB on the wire:
// with the bundle split (`--split`, app/src/routes.rs) the Status page loads the main module
// and the few small chunks it uses, 265,572 bytes brotli on 2026-12-02; the other pages'
// chunks are fetched when they are opened.
const WASM_BUDGET = 350_000;

test("a first visit downloads the bundle compressed within its budget, and a second visit from the cache", async ({ browser }) => {
  const context = await browser.newContext();
  await signInWithoutPage(context, "viewer");
  const page = await context.newPage();
  const first = await recordTransfers(page);
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // The live event stream stays open: let the other responses finish.
  await page.waitForLoadState("networkidle").catch(() => {});

  const wasm = [...first.transfers.values()].filter((t) => /\.wasm$/.test(new URL(t.url).pathname));
  expect(wasm.length, "the page loads its wasm").toBeGreaterThan(0);
  const wasmBytes = total(first.transfers, /\.wasm$/);
  const jsBytes = total(first.transfers, /\.js$/);
  console.log(`first visit: wasm ${wasmBytes} bytes on the wire, js ${jsBytes} bytes, budget ${WASM_BUDGET}`);
  expect(wasmBytes, `the first-load wasm is ${wasmBytes} bytes on the wire; its budget is ${WASM_BUDGET}`).toBeLessThanOrEqual(WASM_BUDGET);
  for (const t of wasm) {
    expect(t.headers["content-encoding"], t.url).toMatch(/^(br|gzip)$/);
    expect(t.headers["cache-control"], t.url).toContain("immutable");
    expect(new URL(t.url).pathname, "hashed names, so a new build is never served from an old cache").toMatch(/\.[A-Za-z0-9_-]{10,}\.wasm$/);
  }
  const html = [...first.transfers.values()].find((t) => new URL(t.url).pathname === "/");
  expect(html?.headers["cache-control"]).toBe("private, no-cache");
  expect(html?.headers["content-encoding"]).toMatch(/^(br|gzip)$/);

  // A second visit (a new page in the same browser) takes the wasm from the cache.
  const again = await context.newPage();
  const second = await recordTransfers(again);
  await again.goto("/");
  await expect(again.locator("body")).toHaveAttribute("data-hydrated", "true");
  const wasmAgain = [...second.transfers.values()].filter((t) => /\.wasm$/.test(new URL(t.url).pathname));
  expect(wasmAgain.length).toBeGreaterThan(0);
  for (const t of wasmAgain) expect(t.fromCache, `${t.url} comes from the cache`).toBe(true);
  await context.close();
});
