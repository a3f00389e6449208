// The panel's "More": every option a user may need beyond the switches, grouped, in plain words,
// with where it lives (this profile, or every profile on this computer) and what it may be.
// The ranges are protocol.json's, which Python checks too; defaults are config.json's.
import config from "../../../../addon/config.json";
import definition from "../../../../addon/protocol.json";
import type { Option, Options } from "../../protocol/generated";

export type Scope = "profile" | "addon";
export type NumberOption =
  "idleSeconds" | "statusCheckMinutes" | "lastingFailureMinutes" | "closeBoundSeconds" | "closeTotalSeconds";

interface Common {
  key: Option;
  scope: Scope;
  label: string;
  help: string;
}
export type OptionSpec =
  | (Common & { kind: "number"; key: NumberOption; unit: string; min: number; max: number })
  | (Common & { kind: "switch"; key: "allowMetered" })
  | (Common & { kind: "shortcut"; key: "sidebarShortcut" });

const limit = (key: NumberOption) => definition.limits[key];

export const SCOPE_WORDS: Record<Scope, string> = {
  profile: "This profile",
  addon: "All profiles",
};

export const SCOPE_HELP: Record<Scope, string> = {
  profile: "Kept for this profile alone: each profile syncs its own account.",
  addon: "Kept for Flipnem Sync on this computer: the same in every profile.",
};

/** The groups of "More", in the order they are shown (and tabbed through). */
export const OPTION_GROUPS: ReadonlyArray<{ title: string; options: readonly OptionSpec[] }> = [
  {
    title: "While Anki is open",
    options: [
      {
        key: "idleSeconds",
        kind: "number",
        scope: "profile",
        label: "Send my changes after",
        unit: "seconds left alone",
        ...limit("idleSeconds"),
        help: "With “Keep in sync while Anki is open” on, your changes go to Flipnem once you have not touched Anki this long, on the deck list or a deck's overview, or at once when you switch to another application.",
      },
      {
        key: "statusCheckMinutes",
        kind: "number",
        scope: "profile",
        label: "While nobody uses Anki, check Flipnem every",
        unit: "minutes",
        ...limit("statusCheckMinutes"),
        help: "Checks come 5, 10 and 20 minutes apart, then at this interval. Each check is one request and interrupts a sync your other devices may have under way, so fewer is kinder to them.",
      },
      {
        key: "allowMetered",
        kind: "switch",
        scope: "addon",
        label: "Sync on a metered connection",
        help: "Off: on a connection your system reports as metered, the syncs while Anki is open and the periodic media sync wait. Opening, closing and Sync now always sync.",
      },
    ],
  },
  {
    title: "When syncs keep failing",
    options: [
      {
        key: "lastingFailureMinutes",
        kind: "number",
        scope: "profile",
        label: "Tell me when my changes have waited",
        unit: "minutes",
        ...limit("lastingFailureMinutes"),
        help: "If your changes have not reached Flipnem for this long, the sidebar opens once with a short note.",
      },
    ],
  },
  {
    title: "Closing Anki",
    options: [
      {
        key: "closeBoundSeconds",
        kind: "number",
        scope: "addon",
        label: "Stop a close's sync that makes no progress after",
        unit: "seconds",
        ...limit("closeBoundSeconds"),
        help: "Anki then closes; what did not sync goes at the next sync.",
      },
      {
        key: "closeTotalSeconds",
        kind: "number",
        scope: "addon",
        label: "Never hold up closing Anki for more than",
        unit: "seconds",
        ...limit("closeTotalSeconds"),
        help: "Even while a slow server keeps making progress; the rest syncs next time.",
      },
    ],
  },
  {
    title: "Keyboard",
    options: [
      {
        key: "sidebarShortcut",
        kind: "shortcut",
        scope: "addon",
        label: "Show or hide the status sidebar with",
        help: "Type one key with Ctrl, Alt or Meta, such as Ctrl+Shift+Y, then press Enter. Anki's own keys (D, S, A, B, T, Y) are refused.",
      },
    ],
  },
];

export const OPTION_SPECS: readonly OptionSpec[] = OPTION_GROUPS.flatMap((g) => g.options);

/** Each option's field, by its test id, in the order Tab reaches them. */
export const MORE_FIELDS: readonly string[] = OPTION_SPECS.map((spec) => `option-${spec.key}-input`);

/** config.json's values, used only if Python's hello lacks its own (it always sends them). */
export const FALLBACK_OPTIONS: Options = {
  idleSeconds: config.idleSeconds,
  statusCheckMinutes: config.statusCheckMinutes,
  lastingFailureMinutes: config.lastingFailureMinutes,
  allowMetered: config.allowMetered,
  closeBoundSeconds: config.closeBoundSeconds,
  closeTotalSeconds: config.closeTotalSeconds,
  sidebarShortcut: config.sidebarShortcut,
};

/** How a value is said beside its Reset button. */
export function shown(spec: OptionSpec, value: Options[Option]): string {
  if (spec.kind === "switch") return value ? "on" : "off";
  if (spec.kind === "number") return `${String(value)} ${spec.unit.split(" ")[0]}`;
  return String(value);
}
