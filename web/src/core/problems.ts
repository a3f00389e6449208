// What stands in the way, as the sidebar shows it: the collection's problem, media's, and a
// key Flipnem rejected. Handlers say what happened; the rules for what it clears live here.
// Owns: problem, mediaProblem, authFailed, and whether the profile is signed in once it is open
// (a rejected key signs it out; the account's own events sign it in or out).
import type { Core } from "./effects";
import { problem } from "./persisted";
import type { ProblemKind } from "./types";

/** The collection synced (or a full sync went): nothing stands in its way. */
export function collectionOk(c: Core): void {
  c.s.problem = undefined;
}

export function collectionFailed(c: Core, kind: ProblemKind, message?: string): void {
  c.s.problem = problem(kind, message);
}

/** A status check saw that a full sync is needed: said once, keeping the words a sync gave. */
export function fullSyncNeeded(c: Core): void {
  if (c.s.problem?.kind !== "fullSyncRequired") c.s.problem = problem("fullSyncRequired");
}

export function mediaOk(c: Core): void {
  c.s.mediaProblem = undefined;
}

export function mediaFailed(c: Core, message?: string): void {
  c.s.mediaProblem = problem("mediaFailed", message);
}

export function keyRejected(c: Core, message: string | undefined): void {
  c.s.signedIn = false;
  c.s.authFailed = true;
  c.s.problem = problem("authFailed", message);
}

/** Signed in again: the rejected key no longer explains anything. */
export function keyAccepted(c: Core): void {
  c.s.signedIn = true;
  c.s.authFailed = false;
  if (c.s.problem?.kind === "authFailed") c.s.problem = undefined;
}

/** Problems of the old session no longer apply; a rejected key still explains the sign-out. */
export function signedOut(c: Core): void {
  c.s.signedIn = false;
  if (c.s.problem?.kind !== "authFailed") c.s.problem = undefined;
  c.s.mediaProblem = undefined;
}
