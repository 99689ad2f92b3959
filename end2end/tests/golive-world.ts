import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// The world a go-live walk runs in, all real and all on loopback: two redis-servers (staging's
// and production's), two deployed services in the reference team's stack (FastAPI + the real
// inngest-py SDK under uvicorn; production over TLS with a certificate of a test CA), their
// env files, and a Greenlight console of its own that trusts the test CA (`ca_file`), probes
// every 2 s and needs staging stable for 1 minute instead of 24 hours.

const ROOT = resolve(__dirname, "../..");
const PYTHON = process.env.GREENLIGHT_TEST_PYTHON ?? join(ROOT, "tools/python/bin/python");
export const SIGNING_KEY = "signkey-prod-0123456789abcdef0123456789abcdef";
const EVENT_KEY = "golive-e2e-event-key-8c1f2a";
const DASHBOARD_TOKEN = "Xq7pL2vN9rT4wY8zK3mB6cF1hJ5dG0sA";

type Env = "staging" | "production";

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function envFile(env: Env, redisPort: number, base: string, strict: boolean): string {
  return [
    `ENVIRONMENT=${env}`,
    "LOG_LEVEL=INFO",
    `ANTHROPIC_API_KEY=sk-ant-e2e-${env}-7f3a9c`,
    `OPENAI_API_KEY=sk-openai-e2e-${env}-2b8d4e`,
    `REDIS_URL=redis://127.0.0.1:${redisPort}/0`,
    `REDIS_REQUIRED=${strict}`,
    `INNGEST_REQUIRED=${strict}`,
    `INNGEST_SIGNING_KEY=${SIGNING_KEY}`,
    `INNGEST_EVENT_KEY=${EVENT_KEY}`,
    `INNGEST_APP_ID=caio-alpha-${env}`,
    `INNGEST_WEBHOOK_URL=${base}/api/inngest`,
    `DASHBOARD_AUTH_TOKEN=${DASHBOARD_TOKEN}`,
    "SUPABASE_URL=https://db.example.com",
    `SUPABASE_KEY=supabase-e2e-${env}-91c2`,
    `CLAY_API_KEY=clay-e2e-${env}-5d7e`,
    `GHL_API_KEY=ghl-e2e-${env}-3a6f`,
    "GHL_LOCATION_ID=loc-e2e-1",
    "",
  ].join("\n");
}

export class GoLiveWorld {
  readonly dir = mkdtempSync(join(tmpdir(), "greenlight-golive-"));
  readonly ports = {} as Record<"console" | `${Env}Redis` | `${Env}Target`, number>;
  /** An operator's personal access token for this console. */
  token = "";
  private readonly redis = new Map<Env, ChildProcess>();
  private readonly targets = new Map<Env, ChildProcess>();
  private console?: ChildProcess;

  get baseURL(): string {
    return `http://127.0.0.1:${this.ports.console}`;
  }

  base(env: Env): string {
    return env === "staging"
      ? `http://127.0.0.1:${this.ports.stagingTarget}`
      : `https://localhost:${this.ports.productionTarget}`;
  }

  static async start(): Promise<GoLiveWorld> {
    const world = new GoLiveWorld();
    for (const name of ["console", "stagingRedis", "productionRedis", "stagingTarget", "productionTarget"] as const) {
      world.ports[name] = await freePort();
    }
    execFileSync("bash", [join(ROOT, "scripts/test-ca.sh"), world.dir], { timeout: 30_000 });
    writeFileSync(join(world.dir, "greenlight.toml"), world.config());
    for (const env of ["staging", "production"] as Env[]) {
      world.writeEnvFile(env, false);
      await world.startRedis(env);
      await world.startTarget(env);
    }
    const greenlight = join(ROOT, "target/release/greenlight");
    const env = { ...process.env, GREENLIGHT_DATA_DIR: join(world.dir, "data"), LEPTOS_SITE_ROOT: join(ROOT, "target/site") };
    const config = ["--config", join(world.dir, "greenlight.toml")];
    world.token = execFileSync(greenlight, ["token", "create", "--name", "Ana (operator)", "--role", "operator", ...config], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env,
      timeout: 30_000,
    }).trim();
    world.console = spawn(greenlight, ["serve", ...config], { env, stdio: "ignore" });
    await waitForPort(world.ports.console, "the go-live console");
    return world;
  }

  private config(): string {
    const examples = join(ROOT, "examples");
    const environment = (env: Env) => `
[[environments]]
name = "${env}"
mode = "${env}"
base_url = "${this.base(env)}"
env_file = "${env}.env"
probe_interval_secs = 2
expected_inngest_functions = 4
dependencies_auth = { header = "X-Dashboard-Token", from_env_file = "DASHBOARD_AUTH_TOKEN" }
`;
    return `# Written by end2end/tests/golive-world.ts for one Playwright run.
[server]
addr = "127.0.0.1:${this.ports.console}"
ca_file = "ca.pem"

[golive]
stability_minutes = 1
suite = "caio-golden"
${environment("staging")}${environment("production")}
[[suites]]
name = "caio-golden"
golden_set = "${join(examples, "golden_set.json")}"
min_pass_rate = 0.95
concurrency = 2
case_timeout_secs = 30
runner = { kind = "command", command = ["python3", "${join(examples, "runner/example_runner.py")}"] }
`;
  }

  /** What an engineer does to an env file: set the strict flags (or not). */
  writeEnvFile(env: Env, strict: boolean): void {
    writeFileSync(join(this.dir, `${env}.env`), envFile(env, this.ports[`${env}Redis`], this.base(env), strict));
  }

  private async startRedis(env: Env): Promise<void> {
    const port = this.ports[`${env}Redis`];
    this.redis.set(env, spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" }));
    await waitForPort(port, `${env}'s redis-server`);
  }

  private async startTarget(env: Env): Promise<void> {
    const port = this.ports[`${env}Target`];
    const tls = env === "production" ? ["--ssl-certfile", join(this.dir, "server.pem"), "--ssl-keyfile", join(this.dir, "server.key")] : [];
    this.targets.set(
      env,
      spawn(PYTHON, ["-m", "uvicorn", "target_service:app", "--host", "127.0.0.1", "--port", String(port), ...tls], {
        cwd: join(ROOT, "end2end/fixtures"),
        env: { ...process.env, TARGET_ENV_FILE: join(this.dir, `${env}.env`), TARGET_FUNCTIONS: "4" },
        stdio: "ignore",
      }),
    );
    await waitForPort(port, `${env}'s target service`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  private async stopProcess(child: ChildProcess | undefined): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(kill);
        done();
      });
      child.kill("SIGTERM");
    });
  }

  /** A redeploy: the service restarts and reads its (updated) env file. */
  async redeploy(env: Env): Promise<void> {
    await this.stopProcess(this.targets.get(env));
    await this.startTarget(env);
  }

  async stopRedis(env: Env): Promise<void> {
    await this.stopProcess(this.redis.get(env));
  }

  async stop(): Promise<void> {
    await this.stopProcess(this.console);
    for (const p of [...this.targets.values(), ...this.redis.values()]) await this.stopProcess(p);
  }
}
