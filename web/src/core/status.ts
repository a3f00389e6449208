// The sidebar's snapshot of the orchestrator: copies only, so the page cannot change the state.
// Owns: nothing; reads the state.
import { situationOf, whyNotCollection, whyNotPeriodicMedia } from "./policy";
import type { Environment, Running, Session } from "./types";
import type { RunningSync, Status, Trigger } from "./types";

export function status(s: Session, env: Environment): Status {
  const st: Status = {
    signedIn: s.signedIn,
    running: env.running ? runningView(env.running) : null,
    pending: [s.owed.collection, s.owed.media].filter((t): t is Trigger => t !== undefined),
    paused: env.paused,
    online: env.online,
    metered: env.metered,
    closing: s.phase === "closing",
    localChanges: s.localChanges,
    keepsInStep: s.settings.autoSync && s.settings.backgroundSync,
  };
  if (env.pausedUntil !== undefined) st.pausedUntil = env.pausedUntil;
  if (s.lastCheckAt !== undefined) st.lastCheckAt = s.lastCheckAt;
  if (s.changesWaitingSince !== undefined) st.changesWaitingSince = s.changesWaitingSince;
  if (s.notice !== undefined) st.notice = s.notice;
  if ((s.owed.background || s.owed.pull) && !env.running) {
    const waiting = whyNotCollection(situationOf(s, env), s.owed.background ? "background" : "pull");
    if (waiting) st.waitingReason = waiting;
  }
  if (s.profile !== undefined) st.profile = s.profile;
  if (s.user !== undefined) st.user = s.user;
  if (s.server !== undefined) st.server = s.server;
  if (s.lastCollectionSync) st.lastCollectionSync = { ...s.lastCollectionSync };
  if (s.lastMediaSync) st.lastMediaSync = { ...s.lastMediaSync };
  const why = whyNotPeriodicMedia(situationOf(s, env));
  if (why) st.nextPeriodicMediaReason = why;
  else if (s.owed.at.periodicMedia !== undefined) st.nextPeriodicMediaAt = s.owed.at.periodicMedia;
  if (s.owed.at.retry !== undefined) st.nextRetryAt = s.owed.at.retry;
  // The collection's problem matters more than media's.
  const shown = s.problem ?? s.mediaProblem;
  if (shown) {
    st.problem = { ...shown };
    if (st.nextRetryAt !== undefined && s.problem === shown) st.problem.retryAt = st.nextRetryAt;
  }
  return st;
}

function runningView(r: Running): RunningSync {
  const v: RunningSync = { kind: r.kind, trigger: r.trigger, startedAt: r.startedAt };
  if (r.stage !== undefined) v.stage = r.stage;
  if (r.progress !== undefined) v.progress = r.progress;
  if (r.waitingForChoice) v.waitingForChoice = true;
  return v;
}
