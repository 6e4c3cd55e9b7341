import { describe, expect, it } from "vitest";
import { arrivalTurn, FRESH_HEAD_START_MS as H, turnAfterClaim, turnApplies } from "../../src/domain/schedule.js";

const NOW = 1_000_000;

describe("endpoint turns", () => {
  it.each([
    { what: "fresh work enters ahead of now by the head start", dueAt: NOW, fresh: true, turn: NOW - H, applies: NOW },
    { what: "a retry due now enters at now", dueAt: NOW, fresh: false, turn: NOW, applies: NOW },
    { what: "a later retry enters at its due time", dueAt: NOW + 5000, fresh: false, turn: NOW + 5000, applies: NOW + 5000 },
  ])("$what", ({ dueAt, fresh, turn, applies }) => {
    expect(arrivalTurn(dueAt, fresh)).toBe(turn);
    expect(turnApplies(turn, NOW)).toBe(applies);
  });

  it.each([
    { what: "nothing pending: out of line", earliest: null, turn: null },
    { what: "next pending later: its time", earliest: NOW + 60_000, turn: NOW + 60_000 },
    { what: "a retry still due: back of the line", earliest: NOW - 5, fresh: false, turn: NOW },
    { what: "a first attempt still due: back of the fresh line", earliest: NOW - 5, fresh: true, turn: NOW - H },
    { what: "a first attempt due a moment later (a later clock read): in the fresh line", earliest: NOW + 2, fresh: true, turn: NOW - H },
    { what: "a retry due a moment later: its time", earliest: NOW + 2, fresh: false, turn: NOW + 2 },
    { what: "a first attempt due much later (internal-error backoff): its time", earliest: NOW + 60_000, fresh: true, turn: NOW + 60_000 },
    { what: "due but out of tokens: when the next token comes", earliest: NOW - 5, fresh: true, tokenAt: NOW + 200, turn: NOW + 200 },
    { what: "due with a token now: as if unlimited", earliest: NOW - 5, fresh: false, tokenAt: null, turn: NOW },
    {
      what: "nothing due but may not park (an insert is under way): stays in line as fresh",
      earliest: null,
      mayPark: false,
      turn: NOW - H,
    },
    { what: "later work but may not park: stays in line as fresh", earliest: NOW + 60_000, mayPark: false, turn: NOW - H },
  ])("after a claim, $what", ({ earliest, fresh, tokenAt, mayPark, turn }) => {
    expect(
      turnAfterClaim({
        now: NOW,
        earliest,
        ...(fresh === undefined ? {} : { fresh }),
        ...(tokenAt === undefined ? {} : { tokenAt }),
        ...(mayPark === undefined ? {} : { mayPark }),
      }),
    ).toBe(turn);
  });
});
