import base from "./playwright.config";
import { defineConfig } from "@playwright/test";

// The same console and browser as the test suite, running the benchmarks in bench/.
export default defineConfig({ ...base, testDir: "./bench" });
