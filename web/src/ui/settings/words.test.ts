import { describe, expect, it } from "vitest";
import { flipnemNames } from "../names";
import { SWITCH_TEXT, connectionLines, fullSyncText, words } from "./words";

describe("words", () => {
  it("name Flipnem, never AnkiWeb", () => {
    expect(flipnemNames("AnkiWeb ID or password was incorrect; please try again.")).toBe(
      "Flipnem ID or password was incorrect; please try again.",
    );
    expect(words.signInFailed("ankiweb is down")).toBe("Signing in to Flipnem failed: Flipnem is down");
    expect(words.signInFailed()).toBe("Signing in to Flipnem failed.");
    const all = JSON.stringify([SWITCH_TEXT, words.badCredentials, words.unreachable("x")]);
    expect(all).not.toMatch(/ankiweb/i);
  });

  it("use the seed's wording for the three switches", () => {
    expect(SWITCH_TEXT.autoSync.label).toBe("Automatically sync on profile open/close");
    expect(SWITCH_TEXT.syncMedia.label).toBe("Synchronize audio and images too");
    expect(SWITCH_TEXT.periodicMedia.label).toBe("Periodically sync media");
    expect(SWITCH_TEXT.backgroundSync.label).toBe("Keep in sync while Anki is open");
  });

  it("explain save errors", () => {
    expect(words.saveFailed("prefsOpen", "Close Tools > Preferences first.")).toBe("Close Tools > Preferences first.");
    expect(words.saveFailed("prefsOpen", "")).toContain("Close Tools > Preferences first");
    expect(words.saveFailed("badSettings", "periodicMediaMinutes must be from 1 to 1440")).toBe(
      "Not saved: periodicMediaMinutes must be from 1 to 1440",
    );
    expect(words.saveFailed("notOpen", "no profile")).toBe("Not saved: no Anki profile is open.");
  });
});

describe("connectionLines", () => {
  it("reports a reachable server with its round trip", () => {
    expect(connectionLines({ server: "https://x/", reachable: true, roundTripMs: 41.6 }, true)).toEqual([
      "Reachable: https://x/ answered in 42 ms.",
      "Flipnem accepted your key at the last sync.",
    ]);
  });

  it("reports an unreachable server and why", () => {
    expect(connectionLines({ server: "https://x/", reachable: false, message: "timed out" }, false)).toEqual([
      "Not reachable: could not reach https://x/. timed out",
      "Flipnem refused your key at the last sync: sign out and sign in again.",
    ]);
  });

  it("says when no sync has checked the key", () => {
    expect(connectionLines({ server: "https://x/", reachable: true }, null)).toEqual([
      "Reachable: https://x/ answered.",
      "No sync has checked your key yet.",
    ]);
  });
});

describe("fullSyncText", () => {
  it("either: what each choice replaces, and that nothing is chosen", () => {
    const text = fullSyncText("either", 1200, 1);
    expect(text.holds).toBe("This profile holds 1,200 notes and 1 card.");
    expect(text.choices).toEqual([
      "Upload replaces everything on Flipnem with this profile. Flipnem Sync first saves Flipnem's collection beside Anki's backups, and says where.",
      "Download replaces everything in this profile with what is on Flipnem. Anki first backs up this profile, as it does before every download.",
      "Cancel leaves both sides untouched; nothing syncs until you choose.",
    ]);
    expect(text.closing).toBe("Nothing is chosen for you.");
  });

  it("upload or download alone: only the choice Anki offers, and Cancel", () => {
    expect(fullSyncText("upload", 1, 2).choices.map((c) => c.split(" ")[0])).toEqual(["Upload", "Cancel"]);
    expect(fullSyncText("download", 0, 0).choices.map((c) => c.split(" ")[0])).toEqual(["Download", "Cancel"]);
    expect(fullSyncText("download", 0, 0).holds).toBe("This profile holds 0 notes and 0 cards.");
  });
});
