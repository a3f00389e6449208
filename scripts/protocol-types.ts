// The page's message types, generated from addon/protocol.json (the one definition Python
// reads too). `--check` fails when web/src/protocol/generated.ts is stale, so npm run check
// breaks until a change to a message reaches both sides.
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { format } from "prettier";

type Spec = Record<string, string> | string;
const ROOT = resolve(import.meta.dirname, "..");
const OUT = join(ROOT, "web/src/protocol/generated.ts");
const def = JSON.parse(readFileSync(join(ROOT, "addon/protocol.json"), "utf8")) as {
  enums: Record<string, string>;
  shapes: Record<string, Record<string, string>>;
  commands: Record<string, Spec>;
  replies: Record<string, Spec>;
  events: Record<string, Spec>;
  panelEvents: string[];
};

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function tsType(kind: string): string {
  if (kind.startsWith("enum:")) return pascal(kind.slice(5));
  if (kind.startsWith("shape:")) return pascal(kind.slice(6));
  if (kind.startsWith("array:")) return `Array<${tsType(kind.slice(6))}>`;
  if (kind === "string") return "string";
  if (kind === "number" || kind === "integer") return "number";
  if (kind === "boolean") return "boolean";
  if (kind === "object") return "Record<string, unknown>";
  if (kind === "array") return "unknown[]";
  return "unknown";
}

function fields(spec: Spec): string {
  if (typeof spec === "string") return tsType(spec);
  const entries = Object.entries(spec);
  if (entries.length === 0) return "Record<never, never>";
  const lines = entries.map(
    ([name, kind]) => `${name}${kind.endsWith("?") ? "?" : ""}: ${tsType(kind.replace(/\?$/, ""))};`,
  );
  return `{ ${lines.join(" ")} }`;
}

function record(name: string, specs: Record<string, Spec | undefined>): string {
  const lines = Object.entries(specs).map(
    ([key, spec]) => `  ${key}: ${spec === undefined ? "unknown" : fields(spec)};`,
  );
  return `export interface ${name} {\n${lines.join("\n")}\n}`;
}

/** Every command's reply: its spec, or unknown when protocol.json names none (nothing to read). */
function replies(): Record<string, Spec | undefined> {
  return Object.fromEntries(Object.keys(def.commands).map((name) => [name, def.replies[name]]));
}

export async function generate(): Promise<string> {
  const parts = [
    "// Generated from addon/protocol.json by scripts/protocol-types.ts; do not edit by hand.\n// npm run check fails when this file is stale.",
    ...Object.entries(def.enums).map(
      ([name, values]) =>
        `export type ${pascal(name)} = ${values
          .split("|")
          .map((v) => JSON.stringify(v))
          .join(" | ")};`,
    ),
    ...Object.entries(def.shapes).map(([name, spec]) => `export type ${pascal(name)} = ${fields(spec)};`),
    "/** What each command takes. */",
    record("Commands", def.commands),
    "/** What each command's reply holds (unknown: protocol.json names no reply, there is nothing to read). */",
    record("Replies", replies()),
    "/** What each event carries. */",
    record("Events", def.events),
    "export type CommandName = keyof Commands;",
    "export type EventName = keyof Events;",
    "/** An event as the page receives it: `seq` and `at` number and time the orchestrator's events. */",
    "/** Events meant for the settings panel alone; the orchestrator takes the rest. */",
    `export type PanelEventName = ${def.panelEvents.map((name) => JSON.stringify(name)).join(" | ")};`,
    "export type EventMessage = { [K in EventName]: { event: K; data: Events[K]; seq?: number; at?: number } }[EventName];",
  ];
  return format(parts.join("\n\n") + "\n", { parser: "typescript", printWidth: 120 });
}

const text = await generate();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {
    /* missing counts as stale */
  }
  if (current !== text) {
    console.error("web/src/protocol/generated.ts is stale: run npx tsx scripts/protocol-types.ts");
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT.slice(ROOT.length + 1)}`);
}
