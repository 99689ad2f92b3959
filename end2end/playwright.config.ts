import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each run gets a fresh data directory: the console creates and migrates its database there.
// The config is evaluated in every worker too: they inherit the directory through the
// environment, so everyone uses the same one (global-setup.ts creates the tokens in it).
const dataDir =
  process.env.GREENLIGHT_E2E_DATA_DIR ??
  (process.env.GREENLIGHT_E2E_DATA_DIR = mkdtempSync(join(tmpdir(), "greenlight-e2e-")));
const port = 3107;

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    browserName: "chromium",
    headless: true,
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not reachable here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: [
  {
    // The console's own required Redis (see greenlight.e2e.toml); started first.
    command: "redis-server --port 6391 --bind 127.0.0.1 --save '' --appendonly no",
    port: 6391,
    reuseExistingServer: false,
    timeout: 10_000,
    stdout: "ignore",
  },
  {
    // The webhook receiver of the alert channel that works (greenlight.e2e.toml).
    command: "node fixtures/webhook_sink.mjs 6393",
    port: 6393,
    reuseExistingServer: false,
    timeout: 10_000,
    stdout: "ignore",
  },
  {
    command: `../target/release/greenlight serve --config ./greenlight.e2e.toml`,
    url: `http://127.0.0.1:${port}/api/health/live`,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: "ignore",
    stderr: "pipe",
    env: { GREENLIGHT_DATA_DIR: dataDir, LEPTOS_SITE_ROOT: "../target/site", GREENLIGHT_E2E_RUNNER_DELAY: "1.0" },
  },
  ],
});
