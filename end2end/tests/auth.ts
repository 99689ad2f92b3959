import { expect, type Page } from "@playwright/test";

export type Role = "admin" | "engineer" | "operator" | "viewer";

export function tokenFor(role: Role): string {
  const token = process.env[`GREENLIGHT_E2E_${role.toUpperCase()}_TOKEN`];
  if (!token) throw new Error(`no ${role} token: global-setup.ts did not run`);
  return token;
}

/** Signs in through the sign-in page, as a person would, and waits for hydration. */
export async function signIn(page: Page, role: Role, next = "/") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Access token").fill(tokenFor(role));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".who-name")).toHaveText(`e2e ${role}`);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}
