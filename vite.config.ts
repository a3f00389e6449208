import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// The page is served to the add-on's own browser profile by a scheme of its own (addon/pages.py); every URL is relative.
export default defineConfig({
  root: "web",
  base: "./",
  plugins: [svelte()],
  build: {
    outDir: "../build/addon/web",
    emptyOutDir: true,
    sourcemap: false,
    modulePreload: { polyfill: false },
    // the oldest Chromium the add-on runs in: Qt 6.6 WebEngine (Anki 24.06)
    target: "chrome112",
  },
  resolve: process.env.VITEST ? { conditions: ["browser"] } : undefined,
  test: {
    root: ".",
    include: ["web/**/*.test.ts"],
    environment: "jsdom",
    globals: true,
  },
});
