// The panel's "More" as a user meets it, with a fake bridge standing in for Python.
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { FakeBridge, helloReply, settle } from "../../../../test/fakes/fakeBridge";
import { FALLBACK_OPTIONS, OPTION_SPECS } from "./options";
import Settings from "./Settings.svelte";

const OPTIONS = { ...FALLBACK_OPTIONS };

async function open(options: Record<string, unknown> = OPTIONS): Promise<FakeBridge> {
  const bridge = new FakeBridge();
  render(Settings, { props: { bridge } });
  const hello = helloReply({}, { options }) as { defaults: Record<string, unknown> };
  hello.defaults = { ...hello.defaults, options: OPTIONS };
  bridge.pending("hello").resolve(hello);
  await settle();
  return bridge;
}

const field = (key: string): HTMLInputElement => screen.getByTestId(`option-${key}-input`) as HTMLInputElement;
const reset = (key: string): HTMLButtonElement => screen.getByTestId(`option-${key}-reset`) as HTMLButtonElement;
const message = (key: string): string | null => screen.queryByTestId(`option-${key}-message`)?.textContent ?? null;

async function typeAndEnter(key: string, text: string): Promise<void> {
  await fireEvent.input(field(key), { target: { value: text } });
  await fireEvent.keyDown(field(key), { key: "Enter" });
  await settle();
}

describe("More", () => {
  it("shows every option with its value, its range, and where it is kept", async () => {
    await open({ ...OPTIONS, idleSeconds: 25, allowMetered: true });
    expect(OPTION_SPECS.map((s) => s.key)).toEqual([
      "idleSeconds",
      "statusCheckMinutes",
      "allowMetered",
      "lastingFailureMinutes",
      "closeBoundSeconds",
      "closeTotalSeconds",
      "sidebarShortcut",
    ]);
    expect(field("idleSeconds").value).toBe("25");
    expect(field("allowMetered").checked).toBe(true);
    expect(field("sidebarShortcut").value).toBe("Ctrl+Shift+Y");
    expect(screen.getByTestId("option-idleSeconds").textContent).toContain("(5–3600)");
    expect(screen.getByTestId("option-idleSeconds-scope").textContent).toBe("This profile");
    expect(screen.getByTestId("option-closeBoundSeconds-scope").textContent).toBe("All profiles");
    // every field is named by its label and described by its help and its scope
    for (const spec of OPTION_SPECS) {
      const input = field(spec.key);
      expect(document.querySelector(`label[for="${input.id}"]`)?.textContent).toBe(spec.label);
      expect(input.getAttribute("aria-describedby")).toContain(`option-${spec.key}-scope`);
    }
  });

  it("a valid number is saved on Enter, and the saved value is announced", async () => {
    const bridge = await open();
    await typeAndEnter("idleSeconds", " 30 ");
    expect(bridge.pending("saveOption").args).toEqual({ key: "idleSeconds", value: 30 });
    bridge.pending("saveOption").resolve({ options: { ...OPTIONS, idleSeconds: 30 } });
    await settle();
    expect(field("idleSeconds").value).toBe("30");
    expect(screen.getByTestId("option-status").textContent).toBe("Saved: Send my changes after 30 seconds.");
    expect(reset("idleSeconds").disabled).toBe(false);
  });

  it("out of range or not a number: a clear message, nothing sent, and the typed text stays", async () => {
    const bridge = await open();
    for (const [text, words] of [
      ["4", "Enter a number from 5 to 3600."],
      ["ten", "That is not a number: enter one from 5 to 3600."],
      ["7.5", "Enter a whole number from 5 to 3600."],
      ["", "Enter a number from 5 to 3600."],
    ] as const) {
      await typeAndEnter("idleSeconds", text);
      expect(message("idleSeconds")).toBe(words);
      expect(field("idleSeconds").value).toBe(text);
      expect(field("idleSeconds").getAttribute("aria-invalid")).toBe("true");
    }
    expect(bridge.sent("saveOption")).toEqual([]);
  });

  it("what Python refuses (a shortcut Anki uses) is said under the field, and the typed text stays", async () => {
    const bridge = await open();
    await typeAndEnter("sidebarShortcut", "Shift+Y");
    bridge.pending("saveOption").reject("badOption", "Shift+Y is too close to Y, Anki's Sync key.");
    await settle();
    expect(message("sidebarShortcut")).toBe("Shift+Y is too close to Y, Anki's Sync key.");
    expect(field("sidebarShortcut").value).toBe("Shift+Y");
    expect(screen.getByTestId("option-status").textContent).toContain("Not saved");
  });

  it("the switch saves at once; Reset asks Python for the default", async () => {
    const bridge = await open({ ...OPTIONS, closeBoundSeconds: 9 });
    await fireEvent.click(field("allowMetered"));
    await settle();
    expect(bridge.pending("saveOption").args).toEqual({ key: "allowMetered", value: true });
    bridge.pending("saveOption").resolve({ options: { ...OPTIONS, closeBoundSeconds: 9, allowMetered: true } });
    await settle();
    expect(reset("allowMetered").getAttribute("aria-label")).toBe("Reset “Sync on a metered connection” to off");
    await fireEvent.click(reset("closeBoundSeconds"));
    expect(bridge.pending("resetOption").args).toEqual({ key: "closeBoundSeconds" });
    bridge.pending("resetOption").resolve({ options: { ...OPTIONS, allowMetered: true } });
    await settle();
    expect(field("closeBoundSeconds").value).toBe("20");
    expect(reset("closeBoundSeconds").disabled).toBe(true);
  });

  it("an option changed elsewhere (another panel, a sync's page) shows at once", async () => {
    const bridge = await open();
    bridge.emit("optionsChanged", { options: { ...OPTIONS, statusCheckMinutes: 60 } });
    await settle();
    expect(field("statusCheckMinutes").value).toBe("60");
  });

  it("an unchanged value is not sent again", async () => {
    const bridge = await open();
    await typeAndEnter("statusCheckMinutes", "30");
    expect(bridge.sent("saveOption")).toEqual([]);
  });
});
