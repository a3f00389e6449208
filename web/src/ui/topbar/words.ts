// The words of Anki's top bar, in one place ready for translation: a short label and its tip,
// each tip ending with how to open the sidebar, and a one-symbol form for a narrow window.

const open = " Click to show Flipnem Sync's sidebar.";

export const words = {
  signIn: { text: "Flipnem ! sign in", short: "!", tip: `Flipnem did not accept this profile's sign-in.${open}` },
  syncing: { text: "Flipnem ⟳", short: "⟳", tip: `Syncing with Flipnem.${open}` },
  choose: { text: "Flipnem ! choose", short: "!", tip: `Flipnem needs you to choose how to sync.${open}` },
  failed: { text: "Flipnem ⚠", short: "⚠", tip: `The last sync failed; it is retried by itself.${open}` },
  paused: (until: string | undefined) => ({
    text: `Flipnem ⏸${until === undefined ? "" : ` ${until}`}`,
    short: "⏸",
    tip: `Automatic sync is paused.${open}`,
  }),
  localChanges: { text: "Flipnem ↑", short: "↑", tip: `Changes are waiting to go to Flipnem.${open}` },
  /** `ago` is "now" within the minute, else a distance such as "5 min"; `since` reads "5 min ago". */
  inStep: (ago: string, since: string) => ({
    text: `Flipnem ✓ ${ago}`,
    short: "✓",
    tip: `In step with Flipnem: last synced ${since}.${open}`,
  }),
  now: "now",
  quiet: { text: "Flipnem", short: "F", tip: `Flipnem Sync.${open}` },
};
