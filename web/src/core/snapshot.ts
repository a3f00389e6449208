// The restart contract's one shape: the whole state (every slice of the session and the
// environment) as plain JSON, and reading it back. Owns nothing; the orchestrator takes it up.
import { newEnvironment, newSession, type Environment, type Session } from "./state";
import type { Snapshot } from "./types";

/** The snapshot's layout; a page only ever takes up one made by the same build. */
const SNAPSHOT_VERSION = 1;

export function takeSnapshot(s: Session, env: Environment): Snapshot {
  return JSON.parse(JSON.stringify({ v: SNAPSHOT_VERSION, session: s, env })) as Snapshot;
}

/** The state a snapshot holds, or undefined when it is not one. */
export function readSnapshot(raw: unknown): { session: Session; env: Environment } | undefined {
  if (!isSnapshot(raw)) return undefined;
  const env: Environment = { ...newEnvironment(), ...(raw.env as Partial<Environment>) };
  // JSON has no undefined: a field that was unset stays unset
  if (env.running === undefined) env.running = null;
  return { session: { ...newSession(), ...(raw.session as Partial<Session>) }, env };
}

function isSnapshot(x: unknown): x is Snapshot {
  if (typeof x !== "object" || x === null) return false;
  const { v, session, env } = x as Partial<Snapshot>;
  const isObject = (o: unknown) => typeof o === "object" && o !== null && !Array.isArray(o);
  return v === SNAPSHOT_VERSION && isObject(session) && isObject(env);
}
