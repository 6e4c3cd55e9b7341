import { defineConfig, type TestProjectConfiguration } from "vitest/config";
import { probePostgres, testDatabaseUrl } from "./test/support/postgres.js";

/**
 * Two projects: "sqlite" runs every test; "postgres" runs the behavioural server suite and the
 * queue tests again on PostgreSQL (HOOKLINE_TEST_BACKEND=postgres switches test/support/server.ts),
 * plus the multi-instance tests. Without a reachable PostgreSQL the second project is skipped with
 * a message, except in CI, where that is an error.
 */
export default defineConfig(async () => {
  const url = testDatabaseUrl();
  const problem = await probePostgres(url);
  const where =
    process.env["HOOKLINE_TEST_DATABASE_URL"] === undefined ? `${url} (the default; set HOOKLINE_TEST_DATABASE_URL to change it)` : url;
  if (problem !== undefined) {
    const message = `PostgreSQL tests: no database reachable at ${where}: ${problem}.`;
    if (process.env["CI"] !== undefined && process.env["CI"] !== "" && process.env["CI"] !== "false") {
      throw new Error(`${message} CI must run them: start PostgreSQL (see .ci/run) or set HOOKLINE_TEST_DATABASE_URL.`);
    }
    process.stderr.write(`\n⚠ ${message} Skipping the PostgreSQL project; the SQLite suite still runs.\n\n`);
  }
  const typecheck = { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" };
  // test/isolated/ measures latency and idle CPU under a seeded backlog: those files run after all
  // the others, each alone (one group per backend), so no neighbouring test file distorts them.
  const isolated = (name: string, groupOrder: number, env: Record<string, string> = {}): TestProjectConfiguration => ({
    extends: true,
    test: { name, include: ["test/isolated/**/*.test.ts"], sequence: { groupOrder }, typecheck: { enabled: false }, env },
  });
  const projects: TestProjectConfiguration[] = [
    {
      extends: true,
      test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/postgres/**", "test/isolated/**"], typecheck },
    },
    isolated("sqlite isolated", 1),
  ];
  if (problem === undefined) {
    projects.push({
      extends: true,
      test: {
        name: "postgres",
        include: ["test/server/**/*.test.ts", "test/store/**/*.test.ts", "test/postgres/**/*.test.ts"],
        typecheck: { enabled: false },
        env: { HOOKLINE_TEST_BACKEND: "postgres", HOOKLINE_TEST_DATABASE_URL: url },
      },
    });
    projects.push(isolated("postgres isolated", 2, { HOOKLINE_TEST_BACKEND: "postgres", HOOKLINE_TEST_DATABASE_URL: url }));
  }
  // The server imports catalog modules from temporary copies (src/catalog/catalog-loader.ts): Node
  // must load them itself, as in production, not Vite's transform pipeline.
  const server = { deps: { external: [/\/node_modules\//, /\/hookline-catalog-/] } };
  return { test: { projects, server } };
});
