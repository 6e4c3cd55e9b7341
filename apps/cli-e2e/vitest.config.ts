import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test starts server and CLI processes (node start-up, catalog load) on a small CI machine.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
