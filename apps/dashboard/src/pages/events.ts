/**
 * The event log: filters (type, tenant, delivery status, endpoint, time range) kept in the URL, cursor
 * paging, and new events appended live (the events list is also the polling API: asking again with the
 * last page's cursor returns only what arrived since).
 */
import { get, type Query } from "../api.js";
import { type AppState, poll, seesTenants } from "../app.js";
import { eventTypes } from "../catalog-cache.js";
import { type Child, h } from "../dom.js";
import { isoToLocalInput, localInputToIso } from "../format.js";
import { link, navigate, type Route } from "../router.js";
import { DELIVERY_STATUSES, type EventSummary, type Page } from "../types.js";
import { empty, field, heading, table, time } from "../ui.js";

const DAY_MS = 24 * 3600 * 1000;
const FILTERS = ["type", "tenant", "status", "endpointId", "since", "until"] as const;

export async function eventsPage(route: Route, app: AppState): Promise<Node> {
  const q = route.query;
  const filters: Query = Object.fromEntries(FILTERS.map((k) => [k, q.get(k) ?? undefined]));
  const cursor = q.get("cursor") ?? undefined;
  // Oldest first, like the API: without a start, the log opens on the last 24 hours rather than on the first event ever sent.
  const defaultedSince = filters.since === undefined && cursor === undefined;
  if (defaultedSince) filters.since = new Date(Date.now() - DAY_MS).toISOString();
  const [page, types] = await Promise.all([
    get<Page<EventSummary>>("/v1/events", { ...filters, after: cursor, limit: "50" }),
    eventTypes(),
  ]);

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

  const row = (e: EventSummary): Child[] => [
    h("a", { href: link("events", e.id) }, e.id),
    `${e.type} v${e.version}`,
    seesTenants(app) ? (e.tenant ?? "—") : null,
    time(e.createdAt),
  ];
  const columns = ["Event", "Type", seesTenants(app) ? "Tenant" : null, "Accepted"];
  const visible = (cells: Child[]) => cells.filter((_, i) => columns[i] !== null);
  const live = h("p", { class: "live", role: "status", "aria-live": "polite" });
  const list =
    page.data.length === 0
      ? empty(
          cursor === undefined
            ? defaultedSince
              ? "No events in the last 24 hours. Pick an earlier start in From, or send a test event from the Event types page."
              : "No event matches these filters. Widen the time range or clear a filter."
            : "No more events after this page. New ones appear here as they arrive.",
        )
      : table(
          "Events",
          columns.filter((c): c is string => c !== null),
          page.data.map((e) => visible(row(e))),
        );

  // Live: whatever arrives after this page's last event is appended as it comes.
  let after = page.nextCursor ?? cursor;
  if (filters.until === undefined) {
    poll(2000, async () => {
      const next = await get<Page<EventSummary>>("/v1/events", { ...filters, after, limit: "50" });
      if (next.data.length === 0) return;
      after = next.nextCursor ?? after;
      const body = list.querySelector("tbody");
      if (body === null) return navigate(link("events", { ...filters, ...(cursor === undefined ? {} : { cursor }) }));
      const labels = columns.filter((c): c is string => c !== null);
      for (const e of next.data)
        body.append(
          h(
            "tr",
            { class: "new" },
            visible(row(e)).map((c, i) => h("td", { "data-label": labels[i] ?? "" }, c)),
          ),
        );
      live.textContent = `${next.data.length} new event${next.data.length === 1 ? "" : "s"} arrived.`;
    });
  }

  return h(
    "section",
    null,
    heading("Events"),
    form,
    defaultedSince ? h("p", { class: "muted" }, "Showing the last 24 hours, oldest first. Set From to see older events.") : null,
    live,
    list,
    h(
      "p",
      { class: "paging" },
      cursor === undefined ? null : h("a", { href: link("events", filters) }, "First page"),
      page.data.length === 0 || page.nextCursor === null
        ? null
        : [" ", h("a", { href: link("events", { ...filters, cursor: page.nextCursor }) }, "Next page")],
    ),
  );
}
