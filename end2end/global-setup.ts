import { execFileSync } from "node:child_process";

// One token per role, made with the real CLI in the console's data directory. Workers inherit
// them through the environment.
export default function globalSetup() {
  const dataDir = process.env.GREENLIGHT_E2E_DATA_DIR;
  if (!dataDir) throw new Error("GREENLIGHT_E2E_DATA_DIR is not set (see playwright.config.ts)");
  for (const role of ["admin", "engineer", "operator", "viewer"]) {
    const token = execFileSync(
      "../target/release/greenlight",
      ["token", "create", "--name", `e2e ${role}`, "--role", role, "--config", "./greenlight.e2e.toml", "--data-dir", dataDir],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    ).trim();
    process.env[`GREENLIGHT_E2E_${role.toUpperCase()}_TOKEN`] = token;
  }
}
