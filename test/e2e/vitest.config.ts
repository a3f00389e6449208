import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

// One file at a time: each file shares one Anki launch between its tests.
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, "../.."),
    include: ["test/e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
    pool: "forks",
    reporters: ["default", ["json", { outputFile: `${process.env.FLIPNEM_RESULTS ?? "test-results"}/e2e.json` }]],
  },
});
