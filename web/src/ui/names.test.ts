import { describe, expect, it } from "vitest";
import { flipnemNames } from "./names";

describe("flipnemNames", () => {
  it("names Flipnem where Anki's messages say AnkiWeb, leaving web addresses alone", () => {
    expect(flipnemNames("AnkiWeb encountered a problem. Please try again in a few minutes.")).toBe(
      "Flipnem encountered a problem. Please try again in a few minutes.",
    );
    expect(flipnemNames("Could not connect to AnkiWeb.")).toBe("Could not connect to Flipnem.");
    expect(flipnemNames("See https://ankiweb.net/account")).toBe("See https://ankiweb.net/account");
    expect(flipnemNames("Connection refused")).toBe("Connection refused");
  });
});
