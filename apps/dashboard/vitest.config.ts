import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // A real server, real deliveries and Chromium on a small shared machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser and one server at a time: the timing checks (first paint, live updates) stay honest.
    fileParallelism: false,
  },
});
