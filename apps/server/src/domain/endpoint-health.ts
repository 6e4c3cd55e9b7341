/**
 * Endpoint health and auto-disable, the same on every backend. An endpoint's health is its current
 * run of failed attempts (`failingSince`, null while healthy) and whether it is disabled:
 *
 * - any 2xx ends the run (the endpoint stays disabled if it was: only the API re-enables);
 * - a failed attempt starts the run (or continues it) and disables the endpoint once the run has
 *   lasted `disableAfterMs` (HOOKLINE_DISABLE_AFTER);
 * - 410 Gone disables it at once.
 *
 * A disabled endpoint is never disabled again: the first reason stays.
 */

export type HealthSignal =
  /** Any 2xx: the endpoint is healthy again. */
  | { readonly kind: "success" }
  /** A failed attempt: starts (or continues) the failing run; disables past `disableAfterMs`. */
  | { readonly kind: "failure"; readonly disableAfterMs: number }
  /** 410 Gone: disable now. */
  | { readonly kind: "gone"; readonly reason: string };

/** What an attempt's HTTP status (undefined: no response) says about the endpoint's health. */
export function healthSignal(statusCode: number | undefined, disableAfterMs: number): HealthSignal {
  if (statusCode !== undefined && statusCode >= 200 && statusCode < 300) return { kind: "success" };
  if (statusCode === 410) return { kind: "gone", reason: "the endpoint answered 410 Gone" };
  return { kind: "failure", disableAfterMs };
}

export interface EndpointHealth {
  readonly disabled: boolean;
  /** Start of the current run of failed attempts (epoch ms); null after any success. */
  readonly failingSince: number | null;
}

/** One signal at `now`, in the order the attempts were recorded. */
export interface TimedSignal {
  readonly health: HealthSignal;
  readonly now: number;
}

export interface HealthChange {
  /** The endpoint's health after the signals. */
  readonly health: EndpointHealth;
  /** Set when one of the signals disabled the endpoint: which one (its index) and the reason to record. */
  readonly disabledBy?: { readonly index: number; readonly reason: string };
}

/** The endpoint's health after `signals`, applied in order. */
export function applyHealth(current: EndpointHealth, signals: readonly TimedSignal[]): HealthChange {
  let { disabled, failingSince } = current;
  let disabledBy: HealthChange["disabledBy"];
  signals.forEach(({ health, now }, index) => {
    if (health.kind === "success") {
      failingSince = null;
      return;
    }
    failingSince ??= now;
    if (disabled) return;
    const reason =
      health.kind === "gone"
        ? health.reason
        : now - failingSince >= health.disableAfterMs
          ? `every attempt failed since ${new Date(failingSince).toISOString()}`
          : undefined;
    if (reason === undefined) return;
    disabled = true;
    disabledBy = { index, reason };
  });
  const health = { disabled, failingSince };
  return disabledBy === undefined ? { health } : { health, disabledBy };
}

/** The reason recorded for an endpoint created disabled (null: created enabled). */
export function reasonAtCreation(disabled: boolean): string | null {
  return disabled ? "disabled when created" : null;
}

export type ApiSwitch =
  | { readonly disabled: true; readonly disabledReason: string }
  /** Re-enabled: the reason and the failing run are cleared, so the endpoint starts healthy. */
  | { readonly disabled: false; readonly disabledReason: null; readonly failingSince: null };

/** What an API write of `disabled` changes; undefined when it changes nothing (absent, or already so). */
export function switchByApi(current: boolean, requested: boolean | undefined, reason = "disabled via the API"): ApiSwitch | undefined {
  if (requested === true && !current) return { disabled: true, disabledReason: reason };
  if (requested === false && current) return { disabled: false, disabledReason: null, failingSince: null };
  return undefined;
}
