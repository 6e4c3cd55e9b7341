import { describe, expect, it } from "vitest";
import { chooseLogFormat } from "../../src/logger.js";

describe("log format", () => {
  it("auto is pretty at a terminal and JSON when piped; json and pretty are forced", () => {
    expect(chooseLogFormat("auto", true)).toBe("pretty");
    expect(chooseLogFormat("auto", false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });
});
