import { describe, expect, it } from "vitest";
import {
  applyHealth,
  healthSignal,
  reasonAtCreation,
  switchByApi,
  type EndpointHealth,
  type HealthSignal,
} from "../../src/domain/endpoint-health.js";

const NOW = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ok: HealthSignal = { kind: "success" };
const fail: HealthSignal = { kind: "failure", disableAfterMs: DAY };
const gone: HealthSignal = { kind: "gone", reason: "the endpoint answered 410 Gone" };
const healthy: EndpointHealth = { disabled: false, failingSince: null };
const failing = (since: number): EndpointHealth => ({ disabled: false, failingSince: since });
const since = (at: number): string => `every attempt failed since ${new Date(at).toISOString()}`;

describe("healthSignal", () => {
  it.each([
    { what: "200 is a success", status: 200, signal: ok },
    { what: "299 is a success", status: 299, signal: ok },
    { what: "410 Gone disables now", status: 410, signal: gone },
    { what: "a redirect is a failure", status: 301, signal: fail },
    { what: "a 1xx is a failure", status: 101, signal: fail },
    { what: "500 is a failure", status: 500, signal: fail },
    { what: "no response at all is a failure", status: undefined, signal: fail },
  ])("$what", ({ status, signal }) => {
    expect(healthSignal(status, DAY)).toEqual(signal);
  });
});

describe("applyHealth", () => {
  it.each([
    { what: "a success keeps a healthy endpoint healthy", current: healthy, signals: [ok], health: healthy },
    { what: "a success ends the failing run", current: failing(NOW - HOUR), signals: [ok], health: healthy },
    {
      what: "a success does not re-enable a disabled endpoint",
      current: { disabled: true, failingSince: NOW - DAY },
      signals: [ok],
      health: { disabled: true, failingSince: null },
    },
    { what: "the first failure starts the run", current: healthy, signals: [fail], health: failing(NOW) },
    {
      what: "a failure inside the window keeps the run's start",
      current: failing(NOW - HOUR),
      signals: [fail],
      health: failing(NOW - HOUR),
    },
    {
      what: "a failure one millisecond short of the window does not disable",
      current: failing(NOW - DAY + 1),
      signals: [fail],
      health: failing(NOW - DAY + 1),
    },
    {
      what: "a failure exactly at the window disables, naming the run's start",
      current: failing(NOW - DAY),
      signals: [fail],
      health: { disabled: true, failingSince: NOW - DAY },
      disabledBy: { index: 0, reason: since(NOW - DAY) },
    },
    {
      what: "410 disables a healthy endpoint at once and starts the run",
      current: healthy,
      signals: [gone],
      health: { disabled: true, failingSince: NOW },
      disabledBy: { index: 0, reason: "the endpoint answered 410 Gone" },
    },
    {
      what: "a disabled endpoint is not disabled again: its first reason stays",
      current: { disabled: true, failingSince: NOW - 2 * DAY },
      signals: [gone, fail],
      health: { disabled: true, failingSince: NOW - 2 * DAY },
    },
    {
      what: "a failure on a disabled endpoint still starts the run",
      current: { disabled: true, failingSince: null },
      signals: [fail],
      health: { disabled: true, failingSince: NOW },
    },
    {
      what: "a success between failures restarts the run, so the window is not reached",
      current: failing(NOW - DAY),
      signals: [ok, fail],
      health: failing(NOW),
    },
    {
      what: "in a batch, the signal that disabled is named, not the ones after it",
      current: failing(NOW - DAY),
      signals: [fail, gone, fail],
      health: { disabled: true, failingSince: NOW - DAY },
      disabledBy: { index: 0, reason: since(NOW - DAY) },
    },
  ])("$what", ({ current, signals, health, disabledBy }) => {
    const change = applyHealth(
      current,
      signals.map((signal) => ({ health: signal, now: NOW })),
    );
    expect(change).toEqual(disabledBy === undefined ? { health } : { health, disabledBy });
  });

  it("applies a batch's signals in order, each at its own time", () => {
    const change = applyHealth(healthy, [
      { health: fail, now: NOW },
      { health: fail, now: NOW + DAY - 1 },
      { health: fail, now: NOW + DAY },
    ]);
    expect(change).toEqual({ health: { disabled: true, failingSince: NOW }, disabledBy: { index: 2, reason: since(NOW) } });
  });
});

describe("switching an endpoint through the API", () => {
  it.each([
    {
      what: "disabling an enabled endpoint records the default reason",
      current: false,
      requested: true,
      reason: undefined,
      change: { disabled: true, disabledReason: "disabled via the API" },
    },
    {
      what: "disabling records the caller's reason",
      current: false,
      requested: true,
      reason: "maintenance",
      change: { disabled: true, disabledReason: "maintenance" },
    },
    {
      what: "re-enabling clears the reason and the failing run",
      current: true,
      requested: false,
      reason: undefined,
      change: { disabled: false, disabledReason: null, failingSince: null },
    },
    { what: "disabling a disabled endpoint keeps its first reason", current: true, requested: true, reason: "again", change: undefined },
    { what: "enabling an enabled endpoint keeps its failing run", current: false, requested: false, reason: undefined, change: undefined },
    { what: "a patch without `disabled` changes nothing", current: true, requested: undefined, reason: undefined, change: undefined },
  ])("$what", ({ current, requested, reason, change }) => {
    expect(switchByApi(current, requested, reason)).toEqual(change);
  });

  it.each([
    { what: "created disabled: says so", disabled: true, reason: "disabled when created" },
    { what: "created enabled: no reason", disabled: false, reason: null },
  ])("$what", ({ disabled, reason }) => {
    expect(reasonAtCreation(disabled)).toBe(reason);
  });
});
