import { test, expect, type Locator, type Page } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, waitForPort } from "./golive-world";
import { Operator } from "./operator";

// Practice mode as a newcomer meets it: a console started with no configuration at all (its
// embedded default) runs a practice staging and production with their own redis-servers. An
// operator who has never seen the product goes from the Status page to Go using only the
// console (the practice panel does the engineer's part), then stops production's Redis from
// the panel and sees No-Go. Every click is counted; nothing is done in a terminal.

const ROOT = resolve(__dirname, "../..");
const GREENLIGHT = join(ROOT, "target/release/greenlight");

test.describe.configure({ mode: "serial" });

let console_: ChildProcess;
let baseURL = "";
let token = "";

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-practice-"));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    GREENLIGHT_ADDR: `127.0.0.1:${port}`,
    GREENLIGHT_DATA_DIR: join(dir, "data"),
    LEPTOS_SITE_ROOT: join(ROOT, "target/site"),
    // A one-minute window keeps the test short; the console's default is three.
    GREENLIGHT_PRACTICE_STABILITY_MINUTES: "1",
  };
  delete (env as Record<string, string | undefined>).GREENLIGHT_CONFIG;
  token = execFileSync(GREENLIGHT, ["token", "create", "--name", "Ana (operator)", "--role", "operator"], {
    encoding: "utf8",
    env,
    timeout: 30_000,
  }).trim();
  console_ = spawn(GREENLIGHT, ["serve"], { env, stdio: "ignore" });
  await waitForPort(port, "the practice console");
});

test.afterAll(async () => {
  if (!console_ || console_.exitCode !== null) return;
  await new Promise<void>((done) => {
    console_.once("exit", () => done());
    console_.kill("SIGTERM");
  });
});

/** With GREENLIGHT_E2E_SCREENSHOTS=DIR, full-page screenshots go there (`top`: the first
 * screen only, as the README shows it). */
async function shot(page: Page, name: string, top = false): Promise<void> {
  const dir = process.env.GREENLIGHT_E2E_SCREENSHOTS;
  if (!dir) return;
  if (top) await page.setViewportSize({ width: 1280, height: 1150 });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: !top });
  if (top) await page.setViewportSize({ width: 1280, height: 720 });
}

class Newcomer extends Operator {
  /** A button of the practice panel. */
  panel(name: string): Locator {
    return this.page.locator(".practice-panel").getByRole("button", { name, exact: true });
  }

  /** What the panel's last action did. */
  get done(): Locator {
    return this.page.locator(".practice-done");
  }
}

test("a newcomer rehearses a go-live to Go on the practice services, then sees No-Go when production's Redis stops", async ({ page }) => {
  test.setTimeout(300_000);
  const ana = new Newcomer(page);
  await page.goto(`${baseURL}/login?next=/`);
  await page.getByLabel("Access token").fill(token);
  await ana.click(page.getByRole("button", { name: "Sign in" }));
  await expect(page.locator(".who-name")).toHaveText("Ana (operator)");

  // The Status page greets a console on its embedded default with the first-run guide, and
  // shows the practice services as such.
  const guide = page.locator(".first-run");
  await expect(guide).toContainText("Greenlight says, with evidence, whether an environment may go live");
  await expect(guide.getByRole("link", { name: "Run the example replay" })).toBeVisible();
  await expect(guide.getByText("Add your own environments")).toBeVisible();
  for (const name of ["staging", "production"]) {
    await expect(page.getByRole("article", { name, exact: true }).locator(".practice-tag")).toHaveText("Practice");
  }
  await shot(page, "practice-status");

  await ana.click(guide.getByRole("link", { name: "Practise a go-live" }));
  await ana.click(page.getByRole("button", { name: "Start a go-live of staging → production (practice)" }));

  // Step 1 passed at once (the practice env files hold the four inputs); step 2 fails: the
  // strict flags are not set, as in the reference team's environments today.
  await expect(ana.next).toContainText("Step 2: Turn on the strict dependency policy in staging", { timeout: 30_000 });
  await expect(page.locator(".practice-panel")).toContainText("Staging has to stay ready for 1 minute");
  await ana.click(ana.panel("Turn on the strict flags in staging's env file"));
  await expect(ana.done).toContainText("now set in staging's env file");
  await ana.click(ana.step(2).getByRole("button", { name: "Check again" }));
  await expect(ana.step(2)).toContainText("Passed");

  // Step 3 needs the redeploy the panel does; then 4 (real Redis PING), 5 and 6 run.
  await ana.click(ana.panel("Redeploy staging"));
  await expect(ana.done).toContainText("Staging was redeployed");
  await ana.click(ana.step(3).getByRole("button", { name: "I have done this" }));
  await expect(ana.step(5)).toContainText("Passed", { timeout: 30_000 });
  await expect(ana.step(6)).toContainText("Staging stays ready for 1 minute");

  // While the window runs, production gets the same settings.
  await ana.click(ana.panel("Turn on the strict flags in production's env file"));
  await expect(ana.done).toContainText("now set in production's env file");
  await ana.click(ana.panel("Redeploy production"));
  await expect(ana.done).toContainText("Production was redeployed");
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "practice-golive", true);

  // The page checks step 6 again when the window is over.
  await expect(ana.next).toContainText("Step 7: Update production and redeploy", { timeout: 150_000 });
  await ana.click(ana.step(7).getByRole("button", { name: "I have done this" }));
  await expect(ana.step(9)).toContainText("Passed", { timeout: 30_000 });
  await ana.click(ana.step(10).getByRole("button", { name: "Start replay" }));
  await expect(ana.step(10)).toContainText("6/6 passed", { timeout: 60_000 });
  await expect(ana.verdict).toHaveText("Go", { timeout: 30_000 });
  // The leadership update of a rehearsal says so first, so nobody forwards it as a release's.
  await expect(page.getByLabel("Leadership update")).toHaveValue(/^PRACTICE RUN on Greenlight's practice services, not a real release\. Go-live readiness for production: reviewed and validated\./);
  await shot(page, "practice-go");
  await expect(page.getByLabel("Decision")).toHaveValue("go");
  await ana.click(page.getByRole("button", { name: "Record decision" }));
  await expect(ana.next).toContainText("Finished: signed off as go by Ana (operator).");
  const toGo = ana.clicks;

  // The panel stops production's Redis for real; measured again, the verdict is No-Go and
  // says why in words.
  await ana.click(ana.panel("Stop production's Redis"));
  await expect(ana.done).toContainText("production's Redis was stopped");
  await ana.click(page.getByRole("button", { name: "Measure again" }));
  await expect(ana.verdict).toHaveText("No-Go", { timeout: 30_000 });
  const readiness = page.getByRole("list", { name: "Go criteria" }).getByRole("listitem").filter({ hasText: "Readiness:" });
  await expect(readiness).toContainText(/not ready|503/i);
  await expect(page.locator(".verdict-panel")).toContainText(/Redis/);
  await shot(page, "practice-no-go");

  console.log(`PRACTICE_GO_CLICKS=${toGo} PRACTICE_TOTAL_CLICKS=${ana.clicks}`);
  expect(ana.clicks).toBeLessThanOrEqual(20);

  // The printable report (and the go-live list) say it was a rehearsal.
  await page.goto(`${baseURL}/go-live`);
  await expect(page.locator("table.golives")).toContainText("staging → production (practice)");
  await page.goto(`${baseURL}/go-live/1/report`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Practice go-live report #1: staging → production");
  await expect(page.locator("pre.update")).toContainText("PRACTICE RUN");
});
