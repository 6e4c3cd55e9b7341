/**
 * Dead letters: failed deliveries, newest first. Replay one, replay the selected ones, or recover an
 * endpoint's failed deliveries since a time. The list refreshes live when deliveries change.
 */
import { get, post } from "../api.js";
import { type AppState, canWrite, poll } from "../app.js";
import { h } from "../dom.js";
import { localInputToIso } from "../format.js";
import { link, navigate, type Route } from "../router.js";
import type { DeliveryItem, Page } from "../types.js";
import { act, button, empty, field, heading, notify, table, time } from "../ui.js";

export async function deadLettersPage(route: Route, app: AppState): Promise<Node> {
  const endpointId = route.query.get("endpointId") ?? undefined;
  const cursor = route.query.get("cursor") ?? undefined;
  const page = await get<Page<DeliveryItem>>("/v1/deliveries", { status: "failed", endpointId, after: cursor, limit: "50" });
  const write = canWrite(app);
  const reload = () => navigate(link("dead-letters", { endpointId, cursor }));

  const boxes = page.data.map((d) => h("input", { type: "checkbox", value: d.id, "aria-label": `Select ${d.eventId} to ${d.endpointId}` }));
  const replayOne = async (control: HTMLButtonElement, d: DeliveryItem) =>
    act(control, async () => {
      await post(`/v1/events/${encodeURIComponent(d.eventId)}/replay`, { endpointId: d.endpointId });
      notify(`Replaying ${d.eventId} to ${d.endpointId}.`);
      reload();
    });
  const replaySelected: HTMLButtonElement = button("Replay selected", async () => {
    const chosen = page.data.filter((_, i) => boxes[i]?.checked);
    if (chosen.length === 0) return notify("Select the dead letters to replay first.", "error");
    await act(replaySelected, async () => {
      // The operator replays them in one transaction; a tenant's session replays each through its event.
      if (app.me.kind === "admin") await post("/v1/deliveries/replay", { ids: chosen.map((d) => d.id) });
      else for (const d of chosen) await post(`/v1/events/${encodeURIComponent(d.eventId)}/replay`, { endpointId: d.endpointId });
      notify(`Replaying ${chosen.length} deliver${chosen.length === 1 ? "y" : "ies"}.`);
      reload();
    });
  });

  const recoverEndpoint = h("input", {
    id: "recover-endpoint",
    value: endpointId ?? "",
    required: true,
    placeholder: "ep_…",
    maxlength: "64",
  });
  const since = h("input", { type: "datetime-local", id: "recover-since", required: true });
  const recover = h("button", { type: "submit" }, "Recover");
  const recoverForm = h(
    "form",
    {
      class: "filters",
      "aria-label": "Recover an endpoint's dead letters",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const iso = localInputToIso(since.value);
        if (iso === undefined) return notify("Pick the time to recover from.", "error");
        await act(recover, async () => {
          const { recovered } = await post<{ recovered: number }>(
            `/v1/endpoints/${encodeURIComponent(recoverEndpoint.value.trim())}/recover`,
            { since: iso },
          );
          notify(
            recovered === 0
              ? "No failed deliveries of events since then."
              : `${recovered} failed deliver${recovered === 1 ? "y" : "ies"} queued again.`,
          );
          reload();
        });
      },
    },
    field("Endpoint", recoverEndpoint),
    field("Events since", since),
    recover,
  );

  const live = h("p", { class: "live", role: "status", "aria-live": "polite" });
  // Live: a changed first page (new dead letters, or some replayed away) redraws the list.
  const signature = (p: Page<DeliveryItem>) => p.data.map((d) => `${d.id}:${d.updatedAt}`).join(",");
  const shown = signature(page);
  if (cursor === undefined) {
    poll(3000, async () => {
      const fresh = await get<Page<DeliveryItem>>("/v1/deliveries", { status: "failed", endpointId, limit: "50" });
      if (signature(fresh) === shown) return;
      // Never wipe a selection being made: say so, and refresh once nothing is selected.
      if (boxes.some((b) => b.checked)) live.textContent = "The list has changed; it refreshes when nothing is selected.";
      else reload();
    });
  }

  return h(
    "section",
    null,
    heading("Dead letters", write && page.data.length > 0 ? replaySelected : null),
    live,
    endpointId === undefined
      ? null
      : h(
          "p",
          null,
          "Endpoint ",
          h("a", { href: link("endpoints", endpointId) }, endpointId),
          " · ",
          h("a", { href: link("dead-letters") }, "Show every endpoint"),
        ),
    page.data.length === 0
      ? empty("No dead letters: every delivery succeeded or is still being retried.")
      : table(
          "Dead letters",
          [...(write ? ["Select"] : []), "Event", "Endpoint", "Failure", "Attempts", "Last attempt", ...(write ? ["Action"] : [])],
          page.data.map((d, i) => {
            const one: HTMLButtonElement = button("Replay", () => void replayOne(one, d), {
              "aria-label": `Replay ${d.eventId} to ${d.endpointId}`,
            });
            return [
              ...(write ? [boxes[i]] : []),
              h("a", { href: link("events", d.eventId) }, d.eventId),
              h("a", { href: link("endpoints", d.endpointId) }, d.endpointId),
              d.failureReason ?? "",
              String(d.attempts),
              time(d.lastAttemptAt),
              ...(write ? [one] : []),
            ];
          }),
        ),
    page.nextCursor === null
      ? null
      : h("p", null, h("a", { href: link("dead-letters", { endpointId, cursor: page.nextCursor }) }, "Next page")),
    write ? h("div", { class: "panel" }, h("h2", null, "Recover since a time"), recoverForm) : null,
  );
}
