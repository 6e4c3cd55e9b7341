/**
 * Who is signed in and what they may do, shared by every page; and the timers a page starts (live
 * polling), stopped when the page is left.
 */
import type { Me } from "./types.js";

export interface AppState {
  me: Me;
  /** Opened through a portal link (`/ui/portal`): a tenant's customer, not the operator. */
  portal: boolean;
}

export const canWrite = (app: AppState) => app.me.access === "write";
/** Operators (credentials without a tenant) see and filter by tenant; a tenant's session never needs to. */
export const seesTenants = (app: AppState) => app.me.tenant === null;

const leaving: (() => void)[] = [];

/** Registers what to stop when the current page is left (a poller, a timer). */
export function onLeave(stop: () => void): void {
  leaving.push(stop);
}

export function leavePage(): void {
  for (const stop of leaving.splice(0)) stop();
}

/**
 * Calls `tick` every `ms` while the tab is visible, never two at once, until the page is left.
 * Live updates by polling: simple, works through every proxy, and costs nothing while the tab is hidden.
 */
export function poll(ms: number, tick: () => Promise<void>): void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (!stopped) timer = setTimeout(run, ms);
  };
  const run = async () => {
    if (document.visibilityState === "visible") {
      try {
        await tick();
      } catch {
        // A failed poll is retried on the next tick; the page's own error state covers lasting failures.
      }
    }
    schedule();
  };
  schedule();
  onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });
}
