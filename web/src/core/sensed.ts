// What the host senses, taken as it reports it: where the user is and whether they have left
// Anki alone, the network, and how far the running sync has got.
// Owns: place, quiet, active, activitySeq, online, metered, and the running sync's stage and progress.
import type { Core } from "./effects";
import { isReturn } from "./policy";
import type { Place } from "./types";

/** What the report says the user did: came back after a while away, went to another application, or neither. */
export type Movement = "returned" | "left" | "there" | undefined;

/** `awayMs`: Python says how long the user was away when this report is their coming back (scaled by the timer seam). */
export function onActivity(c: Core, e: { place: Place; quiet: boolean; active?: boolean; awayMs?: number }): Movement {
  const { env } = c;
  const wasActive = env.active;
  env.place = e.place;
  env.quiet = e.quiet;
  if (e.active !== undefined) env.active = e.active;
  env.activitySeq += 1;
  c.out.owedMayRun = true;
  if (wasActive && !env.active) return "left";
  if (isReturn(e.awayMs, env.active)) return "returned";
  return env.active && !env.quiet ? "there" : undefined;
}

/** True when the network has come back. */
export function onNetwork(c: Core, e: { online: boolean; metered?: boolean }): boolean {
  const back = e.online && !c.env.online;
  c.env.online = e.online;
  if (e.metered !== undefined) c.env.metered = e.metered;
  c.out.owedMayRun = true;
  return back;
}

export function onProgress(c: Core, kind: "collection" | "media", text: string): void {
  const { env } = c;
  if (env.running?.kind !== kind) return;
  if (kind === "collection") env.running.stage = text;
  else env.running.progress = text;
}
