import { test, expect } from "@playwright/test";
import { signIn, tokenFor } from "./auth";

test("anonymous visitors are sent to sign-in; a wrong token is refused in plain words", async ({ page }) => {
  await page.goto("/replays");
  await expect(page).toHaveURL(/\/login\?next=\/replays$/);
  await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  await page.getByLabel("Access token").fill("glt_000000000000_" + "0".repeat(48));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That token was not accepted")).toBeVisible();
  // The next page survives the failed attempt.
  await page.getByLabel("Access token").fill(tokenFor("viewer"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/replays$/);
  await expect(page.getByRole("heading", { level: 1, name: "Replays" })).toBeVisible();
});

test("a viewer reads status but sees no operator or admin controls, then signs out", async ({ page, context }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("article", { name: "staging" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Probe .* now/ })).toHaveCount(0);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Status" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveCount(0);
  await page.goto("/replays");
  await expect(page.getByRole("button", { name: /Run replay/ })).toHaveCount(0);
  await expect(page.getByText("Engineers start replays").first()).toBeVisible();

  // The session cookie is HttpOnly and SameSite=Strict.
  const cookie = (await context.cookies()).find((c) => c.name === "gl_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("an admin creates a token, sees it once, revokes it, and finds both in the audit log", async ({ page }) => {
  await signIn(page, "admin", "/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await page.getByLabel("Name").fill("ci job");
  await page.getByLabel("Role").selectOption("engineer");
  await page.getByRole("button", { name: "Create token" }).click();
  const created = page.locator(".created-token code.token");
  await expect(created).toHaveText(/^glt_[0-9a-f]{12}_[0-9a-f]{48}$/);
  const id = (await created.textContent())!.slice(4, 16);
  await page.getByRole("button", { name: `Revoke token ${id} (ci job)` }).click();
  await expect(page.locator("table.tokens").getByRole("row", { name: new RegExp(id) })).toContainText("revoked");
  const audit = page.locator("section", { has: page.getByRole("heading", { name: "Audit log" }) });
  await expect(audit.getByRole("row", { name: /token created/ }).first()).toContainText(id);
  await expect(audit.getByRole("row", { name: /token revoked/ }).first()).toContainText(id);
});
