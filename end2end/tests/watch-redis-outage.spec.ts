import { test, expect } from "@playwright/test";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "operator");
});
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";

// The console's own Redis (port 6391, see greenlight.e2e.toml) is required, and both
// environments probe the console: stopping Redis makes them Not ready for real.
const REDIS_PORT = 6391;
let restarted: ChildProcess | undefined;

function redisCommand(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(REDIS_PORT, "127.0.0.1", () => socket.write(command + "\r\n"));
    let answer = "";
    socket.on("data", (d) => (answer += d.toString()));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(3_000, () => socket.destroy());
  });
}

test.afterAll(() => {
  restarted?.kill("SIGTERM");
});

test("a card turns Not ready when Redis stops, and Ready again when it is back, without a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const staging = page.getByRole("article", { name: "staging" });
  await page.getByRole("button", { name: "Probe staging now" }).click();
  await expect(staging.locator(".verdict-word")).toHaveText("Ready", { timeout: 20_000 });
  // A marker that a reload would wipe out.
  await page.evaluate(() => ((window as unknown as { stillThisPage: boolean }).stillThisPage = true));

  // Stop Redis. The scheduler probes every 5 s and flips after 2 bad rounds; the card must
  // follow from the live event stream (the fallback poll is every 30 s).
  await redisCommand("SHUTDOWN NOSAVE");
  await expect(staging.locator(".verdict-word")).toHaveText("Not ready", { timeout: 25_000 });
  await expect(staging.locator(".verdict-why")).toContainText(/redis/i);

  restarted = spawn("redis-server", ["--port", String(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await expect
    .poll(async () => (await redisCommand("PING").catch(() => "")).trim(), { timeout: 10_000 })
    .toBe("+PONG");
  await expect(staging.locator(".verdict-word")).toHaveText("Ready", { timeout: 25_000 });
  expect(await page.evaluate(() => (window as unknown as { stillThisPage?: boolean }).stillThisPage)).toBe(true);

  // The environment page keeps the evidence of the outage.
  await staging.getByRole("link", { name: "History and evidence" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "staging" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Last failure" })).toBeVisible();
  await expect(page.locator(".failure-probes")).toContainText(/redis/i);
  await expect(page.getByRole("table", { name: /Uptime is the share of probe rounds/ })).toContainText("24h");
});
