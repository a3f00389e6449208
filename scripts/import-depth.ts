// The longest import chain among web/src/core's modules (type imports included, tests
// excluded), counted in files. A dispatch over policies that import only state, types and
// pure helpers stays shallow; a deeper chain means policies have begun to import each other.
// Usage: npx tsx scripts/import-depth.ts [--max N]
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const DIR = resolve(import.meta.dirname, "../web/src/core");
const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+"\.\/([\w.-]+)"/gm;

const edges = new Map<string, string[]>();
for (const f of files) {
  const text = readFileSync(join(DIR, f), "utf8");
  const targets = [...text.matchAll(IMPORT)].map((m) => `${m[1]}.ts`).filter((t) => files.includes(t));
  edges.set(f, [...new Set(targets)]);
}

// longest path by files; a cycle would make it unbounded, so it is an error of its own
const memo = new Map<string, string[]>();
function longest(f: string, path: string[]): string[] {
  if (path.includes(f)) throw new Error(`import cycle: ${[...path, f].join(" → ")}`);
  const known = memo.get(f);
  if (known) return known;
  let best: string[] = [];
  for (const t of edges.get(f) ?? []) {
    const chain = longest(t, [...path, f]);
    if (chain.length > best.length) best = chain;
  }
  const chain = [f, ...best];
  memo.set(f, chain);
  return chain;
}

let deepest: string[] = [];
for (const f of files) {
  const chain = longest(f, []);
  if (chain.length > deepest.length) deepest = chain;
}
const imports = [...edges.values()].reduce((n, t) => n + t.length, 0);
console.log(`web/src/core: ${files.length} modules, ${imports} imports, longest chain ${deepest.length} files`);
console.log(`  ${deepest.join(" → ")}`);

const i = process.argv.indexOf("--max");
if (i > 0) {
  const max = Number(process.argv[i + 1]);
  if (deepest.length > max) {
    console.error(`the longest import chain is ${deepest.length} files; at most ${max}`);
    process.exit(1);
  }
}
