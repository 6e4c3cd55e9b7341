/**
 * The event log, newest first: filters (type, tenant, delivery status, endpoint, time range) kept in
 * the URL, cursor paging, and new events added on top live (the first page is polled while visible).
 */
import { get, type Query } from "../api.js";
import { type AppState, poll, seesTenants } from "../app.js";
import { eventTypes } from "../catalog-cache.js";
import { type Child, h } from "../dom.js";
import { isoToLocalInput, localInputToIso } from "../format.js";
import { link, navigate, type Route } from "../router.js";
import { DELIVERY_STATUSES, type EventSummary, type Page } from "../types.js";
import { empty, field, heading, table, time } from "../ui.js";

const FILTERS = ["type", "tenant", "status", "endpointId", "since", "until"] as const;

export async function eventsPage(route: Route, app: AppState): Promise<Node> {
  const q = route.query;
  const filters: Query = Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? undefined]));
  const cursor = q.get("cursor") ?? undefined;
  const query = { ...filters, order: "desc", limit: "50" };
  const [page, types] = await Promise.all([get<Page<EventSummary>>("/v1/events", { ...query, after: cursor }), eventTypes()]);

  const type = h(
    "select",
    { name: "type" },
    h("option", { value: "" }, "any"),
    types.map((t) => h("option", { value: t.type, selected: filters.type === t.type }, t.type)),
  );
  const tenant = h("input", { name: "tenant", value: filters.tenant ?? "", placeholder: "any", maxlength: "200" });
  const status = h(
    "select",
    { name: "status" },
    h("option", { value: "" }, "any"),
    DELIVERY_STATUSES.map((s) => h("option", { value: s, selected: filters.status === s }, s)),
  );
  const endpointId = h("input", { name: "endpointId", value: filters.endpointId ?? "", placeholder: "ep_…", maxlength: "64" });
  const since = h("input", { type: "datetime-local", name: "since", value: isoToLocalInput(filters.since) });
  const until = h("input", { type: "datetime-local", name: "until", value: isoToLocalInput(filters.until) });
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter events",
      onsubmit: (event: Event) => {
        event.preventDefault();
        navigate(
          link("events", {
            type: type.value,
            tenant: seesTenants(app) ? tenant.value.trim() : undefined,
            status: status.value,
            endpointId: endpointId.value.trim(),
            since: localInputToIso(since.value),
            until: localInputToIso(until.value),
          }),
        );
      },
    },
    field("Type", type),
    seesTenants(app) ? field("Tenant", tenant) : null,
    field("Delivery status", status),
    field("Endpoint", endpointId),
    field("From", since),
    field("Until", until),
    h("button", { type: "submit" }, "Filter"),
  );

  const columns = ["Event", "Type", seesTenants(app) ? "Tenant" : null, "Accepted"].filter((c): c is string => c !== null);
  const row = (e: EventSummary): Child[] =>
    [
      h("a", { href: link("events", e.id) }, e.id),
      `${e.type} v${e.version}`,
      seesTenants(app) ? (e.tenant ?? "—") : null,
      time(e.createdAt),
    ].filter((c) => c !== null);
  const live = h("p", { class: "live", role: "status", "aria-live": "polite" });
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const list =
    page.data.length === 0
      ? empty(
          cursor !== undefined
            ? "No older events."
            : filtered
              ? "No event matches these filters. Widen the time range or clear a filter."
              : "No events yet. Send one with POST /v1/events, or a test event from the Event types page; it appears here at once.",
        )
      : table("Events", columns, page.data.map(row));

  // Live, on the first page: events newer than the newest shown are added on top as they arrive.
  if (cursor === undefined && filters.until === undefined) {
    const shown = new Set(page.data.map((e) => e.id));
    poll(2000, async () => {
      const fresh = (await get<Page<EventSummary>>("/v1/events", query)).data.filter((e) => !shown.has(e.id));
      if (fresh.length === 0) return;
      const body = list.querySelector("tbody");
      if (body === null) return navigate(link("events", filters));
      for (const e of [...fresh].reverse()) {
        shown.add(e.id);
        body.prepend(
          h(
            "tr",
            { class: "new" },
            row(e).map((c, i) => h("td", { "data-label": columns[i] ?? "" }, c)),
          ),
        );
      }
      live.textContent = `${fresh.length} new event${fresh.length === 1 ? "" : "s"} arrived.`;
    });
  }

  return h(
    "section",
    null,
    heading("Events"),
    form,
    h("p", { class: "muted" }, "Newest first."),
    live,
    list,
    h(
      "p",
      { class: "paging" },
      cursor === undefined ? null : h("a", { href: link("events", filters) }, "Newest events"),
      page.nextCursor === null ? null : h("a", { href: link("events", { ...filters, cursor: page.nextCursor }) }, "Older events"),
    ),
  );
}
