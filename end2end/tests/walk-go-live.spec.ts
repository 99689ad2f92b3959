import { test, expect, type Page } from "@playwright/test";
import { Operator } from "./operator";
import { join } from "node:path";
import { GoLiveWorld, SIGNING_KEY } from "./golive-world";

// An operator takes staging → production live in the browser, against real components (see
// golive-world.ts). What an engineer does outside Greenlight (edit an env file, redeploy) the
// test does between clicks. Every click the operator makes is counted.

test.describe.configure({ mode: "serial" });

let world: GoLiveWorld;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  world = await GoLiveWorld.start();
});

test.afterAll(async () => {
  await world?.stop();
});

/** With GREENLIGHT_E2E_SCREENSHOTS=DIR, full-page screenshots of the walk go there. */
async function shot(page: Page, name: string): Promise<void> {
  const dir = process.env.GREENLIGHT_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

class Ana extends Operator {
  /** Signs in from the front page with the operator's token (typed, not clicked). */
  async signIn(): Promise<void> {
    await this.page.goto(`${world.baseURL}/login?next=/`);
    await this.page.getByLabel("Access token").fill(world.token);
    await this.click(this.page.getByRole("button", { name: "Sign in" }));
    await expect(this.page.locator(".who-name")).toHaveText("Ana (operator)");
    await expect(this.page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

test("an operator walks a go-live to Go in the browser, without a terminal", async ({ page, context }) => {
  test.setTimeout(300_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: world.baseURL });
  const ana = new Ana(page);
  await ana.signIn();
  await ana.click(page.getByRole("link", { name: "Go-live" }));
  await ana.click(page.getByRole("button", { name: "Start a go-live of staging → production" }));

  // Step 1 was checked at once and passed; step 2 opened and failed: staging's env file does
  // not have the strict flags yet. The page says which lines to set; secrets never show.
  await expect(ana.next).toContainText("Step 2: Turn on the strict dependency policy in staging", { timeout: 30_000 });
  await expect(ana.step(1)).toContainText("Passed");
  await expect(ana.step(2)).toContainText("REDIS_REQUIRED=true / INNGEST_REQUIRED=true");
  expect(await page.content()).not.toContain(SIGNING_KEY);
  await shot(page, "golive-step-2-failed");

  // The engineer sets the two lines; the operator checks again.
  world.writeEnvFile("staging", true);
  await ana.click(ana.step(2).getByRole("button", { name: "Check again" }));
  await expect(ana.step(2)).toContainText("Passed");
  await expect(ana.next).toContainText("Step 3: Update staging and redeploy");

  // The engineer redeploys staging; the operator confirms. Greenlight verifies the deployed
  // flags, then runs 4 (validator, real Redis PING), 5 (live endpoints) and 6 (stability).
  await world.redeploy("staging");
  await ana.step(3).getByLabel("Note (optional)").fill("redeployed by Bo");
  await ana.click(ana.step(3).getByRole("button", { name: "I have done this" }));
  await expect(ana.step(5)).toContainText("Passed", { timeout: 30_000 });
  await expect(ana.step(6)).toContainText("to go");
  await expect(ana.step(6)).toContainText("Staging stays ready for 1 minute");
  await shot(page, "golive-step-6-waiting");

  // The page checks step 6 again when the window is over: no click needed.
  await expect(ana.next).toContainText("Step 7: Update production and redeploy", { timeout: 150_000 });
  await expect(ana.step(6)).toContainText("Passed");

  // Production gets the same flags and is redeployed; 8 (signed Inngest route over TLS) and
  // 9 (ready, dependencies, Inngest cloud with 4 functions and matching keys) pass, and 10
  // waits for a replay.
  world.writeEnvFile("production", true);
  await world.redeploy("production");
  await ana.click(ana.step(7).getByRole("button", { name: "I have done this" }));
  await expect(ana.step(9)).toContainText("Passed", { timeout: 30_000 });
  await expect(ana.next).toContainText("Step 10: Release quality gate");
  await expect(ana.verdict).toHaveText("Hold");

  // The operator starts the replay from the step; the page follows it and checks the step.
  await ana.click(ana.step(10).getByRole("button", { name: "Start replay" }));
  await expect(ana.step(10)).toContainText("Passed", { timeout: 60_000 });
  await expect(ana.step(10)).toContainText("6/6 passed");

  // Go, with the leadership update written from the same live data, copied for real.
  await expect(ana.verdict).toHaveText("Go", { timeout: 30_000 });
  const update = page.getByLabel("Leadership update");
  await expect(update).toHaveValue(/^Go-live readiness for production: reviewed and validated\./);
  await expect(update).toHaveValue(/Replay harness: 6\/6 passed/);
  await shot(page, "golive-go");
  await ana.click(page.getByRole("button", { name: "Copy update" }));
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await update.inputValue());

  // Sign-off: the decision is preset from the verdict.
  await expect(page.getByLabel("Decision")).toHaveValue("go");
  await ana.click(page.getByRole("button", { name: "Record decision" }));
  await expect(ana.next).toContainText("Finished: signed off as go by Ana (operator).");

  console.log(`GO_WALK_CLICKS=${ana.clicks}`);
  expect(ana.clicks).toBeLessThanOrEqual(15);

  // The printable report keeps the verdict of that moment, for viewers too.
  await page.getByRole("link", { name: "Printable report" }).click();
  await expect(page.getByRole("heading", { name: "Verdict at sign-off: Go" })).toBeVisible();
  await expect(page.locator(".report-decision")).toContainText("signed off by Ana (operator)");
});

test("a second go-live turns No-Go when production's Redis stops, and says why in plain words", async ({ page }) => {
  test.setTimeout(240_000);
  const ana = new Ana(page);
  await ana.signIn();
  await page.goto(`${world.baseURL}/go-live`);
  await ana.click(page.getByRole("button", { name: "Start a go-live of staging → production" }));

  // Both env files are strict now and the replay is recent: the two confirmations take it to
  // Go, once staging's window (counted again from this go-live's step 3) is over.
  await expect(ana.next).toContainText("Step 3", { timeout: 30_000 });
  await ana.click(ana.step(3).getByRole("button", { name: "I have done this" }));
  await expect(ana.step(6)).toContainText("to go", { timeout: 30_000 });
  await expect(ana.next).toContainText("Step 7", { timeout: 150_000 });
  await ana.click(ana.step(7).getByRole("button", { name: "I have done this" }));
  await expect(ana.next).toContainText("All ten steps passed.", { timeout: 30_000 });
  await expect(ana.verdict).toHaveText("Go", { timeout: 30_000 });

  // Production's Redis stops. Checking step 9 again fails it; the verdict follows.
  await world.stopRedis("production");
  await ana.click(ana.step(9).getByRole("button", { name: "Check again" }));
  await expect(ana.step(9)).toContainText("Failed", { timeout: 30_000 });
  await expect(ana.step(9)).toContainText(/Redis/);
  await expect(ana.next).toContainText("Step 9: Verify production is ready");
  await expect(ana.next).toContainText("What to do:");
  await expect(ana.verdict).toHaveText("No-Go", { timeout: 30_000 });
  const criteria = page.getByRole("list", { name: "Go criteria" });
  await expect(criteria.getByRole("listitem").filter({ hasText: "Readiness:" })).toContainText("Failed");
  await expect(criteria.getByRole("listitem").filter({ hasText: "Readiness:" })).toContainText(/not ready|503/i);
  await expect(page.getByLabel("Leadership update")).toHaveValue(/reviewed, not validated/);
  await shot(page, "golive-no-go");

  // Go is refused while the verdict is No-Go; No-Go is recorded with a note.
  await page.getByLabel("Decision").selectOption("go");
  await ana.click(page.getByRole("button", { name: "Record decision" }));
  await expect(page.getByRole("alert")).toContainText("Go cannot be signed off");
  await page.getByLabel("Decision").selectOption("no_go");
  await page.getByLabel("Sign-off note (optional)").fill("Production Redis is down");
  await ana.click(page.getByRole("button", { name: "Record decision" }));
  await expect(ana.next).toContainText("Finished: signed off as no-go by Ana (operator).");
});
