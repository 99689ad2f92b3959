import { test, expect } from "@playwright/test";
import { recordTransfers, signInWithoutPage, total } from "../tests/first-load";

// A benchmark, not a test (scripts/bench.sh runs it): time until the Status page is hydrated
// on a first visit with an empty cache, the network throttled to a slow mobile profile
// (1.6 Mbit/s down, 750 kbit/s up, 150 ms latency) through the DevTools protocol.
// GREENLIGHT_BENCH_IDENTITY=1 measures the same without compression.
test("status page hydration on a slow mobile network, first visit", async ({ browser }) => {
  test.setTimeout(120_000);
  const runs: number[] = [];
  const readable: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    await signInWithoutPage(context, "viewer");
    const page = await context.newPage();
    const { cdp, transfers } = await recordTransfers(page);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    // GREENLIGHT_BENCH_IDENTITY=1 asks for nothing compressed: the bundle as it was served
    // before compression (the "before" figure of the README).
    if (process.env.GREENLIGHT_BENCH_IDENTITY === "1") {
      await cdp.send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": "identity" } });
    }
    const started = Date.now();
    await page.goto("/", { waitUntil: "commit" });
    await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible({ timeout: 60_000 });
    readable.push(Date.now() - started);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 60_000 });
    runs.push(Date.now() - started);
    console.log(
      `run ${i + 1}: readable after ${readable[i]} ms, hydrated after ${runs[i]} ms; wasm ${total(transfers, /\.wasm$/)} B, js ${total(transfers, /\.js$/)} B, html ${total(transfers, /^\/$/)} B on the wire`,
    );
    await context.close();
  }
  runs.sort((a, b) => a - b);
  readable.sort((a, b) => a - b);
  console.log(`median of 3: readable (server-rendered) after ${readable[1]} ms, hydrated after ${runs[1]} ms`);
});
