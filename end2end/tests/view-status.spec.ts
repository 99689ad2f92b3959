import { test, expect } from "@playwright/test";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("an admin opens Status and filters the environments after hydration", async ({ page }) => {
  await page.goto("/");

  // Server-rendered first: the page is usable before the wasm arrives.
  await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("article", { name: "staging" })).toBeVisible();
  await expect(page.getByRole("article", { name: "production" })).toBeVisible();
  await expect(page.getByText("Showing 2 of 2 environments")).toBeVisible();

  // The app marks <body> once hydration has run; only then do client-side handlers exist.
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  const filter = page.getByLabel("Filter environments");
  await filter.fill("prod");
  await expect(page.getByText("Showing 1 of 2 environments")).toBeVisible();
  await expect(page.getByRole("article", { name: "staging" })).toHaveCount(0);
  await expect(page.getByRole("article", { name: "production" })).toBeVisible();

  await filter.fill("nothing-matches");
  await expect(page.getByText("No environment matches this filter.")).toBeVisible();

  await filter.fill("");
  await expect(page.getByText("Showing 2 of 2 environments")).toBeVisible();

  // Live probing: "Probe now" runs a round against the environment (here the console itself).
  await page.getByRole("button", { name: "Probe staging now" }).click();
  const staging = page.getByRole("article", { name: "staging" });
  await expect(staging.locator(".verdict-word")).toHaveText("Ready", { timeout: 15_000 });
  await expect(staging).toContainText("Every probe answered as it should.");
  await expect(staging.getByRole("img", { name: /Readiness over the last 24 hours/ })).toBeVisible();

  // The console's own health is live data from the server.
  await expect(page.getByRole("heading", { name: "This console" })).toBeVisible();
  await expect(page.getByRole("row", { name: /database \(required\)/ })).toContainText("Healthy");
});

test("the main navigation reaches every section by keyboard", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Status" })).toHaveAttribute("aria-current", "page");

  await nav.getByRole("link", { name: "Replays" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Replays" })).toBeVisible();
  await expect(page).toHaveURL(/\/replays$/);

  await nav.getByRole("link", { name: "Go-live" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Go-live" })).toBeVisible();
  await expect(page.getByText("staging → production")).toBeVisible();

  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(page.getByText(/schema version \d+/)).toBeVisible();
});
