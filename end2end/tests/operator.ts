import { expect, type Locator, type Page } from "@playwright/test";

/** A person in the browser on a go-live page, whose every click is counted. */
export class Operator {
  clicks = 0;
  constructor(readonly page: Page) {}

  async click(target: Locator): Promise<void> {
    this.clicks += 1;
    // As a person would: once the page is interactive (after a full page load, the chunk of a
    // lazily loaded page arrives before its buttons work).
    await expect(this.page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await target.click();
  }

  step(n: number): Locator {
    return this.page.getByRole("list", { name: "Go-live steps" }).getByRole("listitem", { name: new RegExp(`^${n}\\. `) });
  }

  get next(): Locator {
    return this.page.locator(".next-action");
  }

  get verdict(): Locator {
    return this.page.locator(".verdict-panel .verdict-word");
  }
}
