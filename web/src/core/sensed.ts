// What the host senses, taken as it reports it: where the user is and whether they have left
// Anki alone, the network, and how far the running sync has got.
// Owns: place, quiet, activitySeq, online, metered, and the running sync's stage and progress.
import type { Core } from "./effects";
import type { Place } from "./types";

export function onActivity(c: Core, e: { place: Place; quiet: boolean }): void {
  c.env.place = e.place;
  c.env.quiet = e.quiet;
  c.env.activitySeq += 1;
  c.out.owedMayRun = true;
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
