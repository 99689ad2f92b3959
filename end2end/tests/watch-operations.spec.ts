import { test, expect } from "@playwright/test";
import { join } from "node:path";
import { signIn } from "./auth";

/** With GREENLIGHT_E2E_SCREENSHOTS=DIR, screenshots of these pages go there (the README's). */
async function shot(page: import("@playwright/test").Page, name: string) {
  const dir = process.env.GREENLIGHT_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

test("an admin sends test alerts and sees one delivered and one failed", async ({ page }) => {
  await signIn(page, "admin", "/alerts");
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  await page.getByRole("button", { name: "Send a test alert to ops-webhook" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test to ops-webhook: Delivered" })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Send a test alert to pager-offline" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test to pager-offline: Failed after 1 attempt" })).toBeVisible({ timeout: 20_000 });

  // Every message is kept: the table shows both, the failure with its reason and no secret.
  await page.reload();
  const delivered = page.locator("tr.delivery-delivered").filter({ hasText: "[TEST] Test alert for channel ops-webhook" });
  const failed = page.locator("tr.delivery-failed").filter({ hasText: "[TEST] Test alert for channel pager-offline" });
  await expect(delivered.first()).toBeVisible();
  await expect(failed.first()).toContainText("cannot connect to the receiver");
  await expect(page.locator("body")).not.toContainText("e2e0routing0key");
  await shot(page, "alerts");

  // Settings shows each channel's last delivery too.
  await page.goto("/settings");
  await expect(page.locator("li[data-channel='pager-offline']")).toContainText("Failed");
  await expect(page.locator("li[data-channel='ops-webhook']")).toContainText("Delivered");
});

test("an operator reads the SLO panel and shades a maintenance window on the chart", async ({ page }) => {
  await signIn(page, "operator", "/environments/staging?window=1h");
  await page.goto("/environments/staging?window=1h");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  const slos = page.locator("table.slo-table");
  await expect(slos.locator("tr[data-slo='uptime']")).toContainText("99.9 %");
  await expect(slos.locator("tr[data-slo='readiness-latency']")).toContainText("readiness answers in under 500 ms");

  await page.getByLabel("Reason").fill("e2e rehearsal of a database upgrade");
  await page.getByRole("button", { name: "Start maintenance" }).click();
  await expect(page.locator(".maintenance-banner")).toContainText("e2e rehearsal of a database upgrade");
  await expect(page.locator("svg .hc-maintenance")).toHaveCount(1);
  await expect(page.getByRole("img", { name: /The shaded band is a maintenance window/ })).toBeVisible();
  await shot(page, "environment-slo");

  await page.getByRole("button", { name: "End maintenance" }).click();
  await expect(page.locator(".maintenance-banner")).toHaveCount(0);
  // The ended window stays shaded on the chart.
  await expect(page.locator("svg .hc-maintenance")).toHaveCount(1);
});

test("a viewer sees the canary replays apart from manual runs, with their streak", async ({ page }) => {
  await signIn(page, "viewer", "/replays");
  const canary = page.locator("section.canary[data-suite='canary-smoke']");
  // The first canary runs right after the console starts; it may still be running.
  await expect(async () => {
    await page.goto("/replays");
    await expect(canary).toContainText("Passing: the last canary passed the gate.", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(canary.getByRole("heading")).toHaveText("canary-smoke: every 10 minutes, a rotating sample of 2 cases");
  await expect(canary).toContainText("2 of 6 cases (sample 1 of 3");
  await expect(canary.getByRole("img")).toBeVisible();
});
