import { test, expect } from "@playwright/test";
import { signIn } from "./auth";

test.beforeEach(async ({ page }) => {
  await signIn(page, "engineer");
});

test("an engineer starts a replay, watches it finish, makes it the baseline and compares", async ({ page }) => {
  await page.goto("/replays");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("heading", { level: 1, name: "Replays" })).toBeVisible();

  // Start: the browser names the suite only; the command comes from the configuration.
  await page.getByRole("button", { name: "Run replay of example" }).click();
  await expect(page).toHaveURL(/\/replays\/run\/\d+$/);
  const firstRun = page.url().split("/").pop();

  const progress = page.getByRole("progressbar", { name: "Replay progress" });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("aria-valuemax", "6");
  await expect(page.getByText("6 of 6 cases finished")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Gate:")).toContainText("Passed");
  await expect(page.getByText("Showing 6 of 6 finished cases")).toBeVisible();

  // Per-case rubric with reasons.
  await page.getByText("EX_001").click();
  await expect(page.getByRole("row", { name: /tool selection accuracy/ }).first()).toContainText("Exact match.");

  // Filters.
  await page.getByLabel("Runner errors").check();
  await expect(page.getByText("Showing 0 of 6 finished cases")).toBeVisible();
  await page.getByLabel("All cases").check();

  await page.getByRole("button", { name: "Make this run the baseline" }).click();
  await expect(page.getByText("This run is the suite's baseline")).toBeVisible();

  // A second run, then its diff against the baseline.
  await page.getByRole("link", { name: "Replays" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Replays" })).toBeVisible();
  await page.getByRole("button", { name: "Run replay of example" }).click();
  await expect(page).toHaveURL(/\/replays\/run\/\d+$/);
  expect(page.url().split("/").pop()).not.toBe(firstRun);
  await expect(page.getByText("6 of 6 cases finished")).toBeVisible({ timeout: 20_000 });
  await page.getByRole("link", { name: "Compare with baseline" }).click();
  await expect(page).toHaveURL(/\/replays\/diff\?a=\d+&b=\d+$/);
  await expect(page.getByRole("heading", { name: "Regressions (pass → fail) (0)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Fixes (fail → pass) (0)" })).toBeVisible();
  // Same answers, but the second run is scored against the baseline: reliability 4 → 5.
  await expect(page.getByRole("heading", { name: "EX_001 Still passing overall 4.75 → 5" })).toBeVisible();
  await expect(page.getByText("reliability consistency: 4 → 5").first()).toBeVisible();
});

test("a running replay can be cancelled from the browser", async ({ page }) => {
  await page.goto("/replays");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("button", { name: "Run replay of example" }).click();
  await expect(page).toHaveURL(/\/replays\/run\/\d+$/);
  await page.getByRole("button", { name: "Cancel replay" }).click();
  await expect(page.getByText("Gate:")).toContainText("Cancelled", { timeout: 15_000 });
  await expect(page.getByRole("button", { name: "Cancel replay" })).toHaveCount(0);
});
