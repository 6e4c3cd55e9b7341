/**
 * One event: its payload (pretty-printed, as text), its deliveries with the next attempt, and every
 * attempt per endpoint as a timeline: request headers (signatures redacted by the server), response
 * status, headers, body and latency. Replays are one click; new attempts show up live (polled).
 */
import { get, post } from "../api.js";
import { type AppState, canWrite, poll } from "../app.js";
import { h, replace } from "../dom.js";
import { prettyBody, prettyJson, relativeTime } from "../format.js";
import { link } from "../router.js";
import type { Attempt, Delivery, EventDetail, Page } from "../types.js";
import { act, badge, button, empty, heading, notify, pre, table, time } from "../ui.js";

async function load(id: string): Promise<{ event: EventDetail; attempts: Attempt[] }> {
  const path = `/v1/events/${encodeURIComponent(id)}`;
  const [event, attempts] = await Promise.all([get<EventDetail>(path), get<Page<Attempt>>(`${path}/attempts`, { limit: "250" })]);
  return { event, attempts: attempts.data };
}

export async function eventPage(id: string, app: AppState): Promise<Node> {
  let state = await load(id);
  const section = h("section");
  const live = h("p", { class: "live", role: "status", "aria-live": "polite" });
  // A live redraw keeps the attempts the reader opened or closed as they were.
  const draw = () => {
    const toggled = new Map([...section.querySelectorAll<HTMLDetailsElement>("details[data-id]")].map((d) => [d.dataset.id, d.open]));
    replace(section, ...render(state, app, live, refresh));
    for (const d of section.querySelectorAll<HTMLDetailsElement>("details[data-id]")) {
      const open = toggled.get(d.dataset.id);
      if (open !== undefined) d.open = open;
    }
  };
  const refresh = async () => {
    const next = await load(id);
    if (prettyJson(next) === prettyJson(state)) return;
    const added = next.attempts.length - state.attempts.length;
    state = next;
    draw();
    if (added > 0) live.textContent = `${added} new attempt${added === 1 ? "" : "s"}.`;
  };
  draw();
  poll(2000, refresh);
  return section;
}

function render(state: { event: EventDetail; attempts: Attempt[] }, app: AppState, live: HTMLElement, refresh: () => Promise<void>) {
  const { event, attempts } = state;
  const write = canWrite(app);
  const replay = async (control: HTMLButtonElement, endpointId?: string) => {
    await act(control, async () => {
      const { scheduled } = await post<{ scheduled: number }>(
        `/v1/events/${encodeURIComponent(event.id)}/replay`,
        endpointId === undefined ? {} : { endpointId },
      );
      notify(
        scheduled === 0
          ? "Nothing to replay: the delivery is already due or in flight."
          : `Replay scheduled (${scheduled}). The new attempt appears below.`,
      );
      await refresh();
    });
  };
  const replayAll: HTMLButtonElement = button("Replay to every endpoint", () => void replay(replayAll));
  const deliveryRow = (d: Delivery) => {
    const one: HTMLButtonElement = button("Replay", () => void replay(one, d.endpointId), { "aria-label": `Replay to ${d.endpointId}` });
    return [
      h("a", { href: link("endpoints", d.endpointId) }, d.endpointId),
      badge(d.status),
      `v${d.version}`,
      String(d.attempts),
      time(d.lastAttemptAt),
      d.nextAttemptAt === null ? "—" : h("span", null, time(d.nextAttemptAt), ` (${relativeTime(d.nextAttemptAt)})`),
      d.failureReason ?? "",
      write ? one : null,
    ];
  };
  const byEndpoint = new Map<string, Attempt[]>();
  for (const a of [...attempts].reverse()) byEndpoint.set(a.endpointId, [...(byEndpoint.get(a.endpointId) ?? []), a]);

  return [
    heading(`${event.type} v${event.version}`, write && event.deliveries.length > 0 ? replayAll : null),
    h(
      "dl",
      { class: "facts" },
      h("dt", null, "Id"),
      h("dd", null, h("code", null, event.id)),
      h("dt", null, "Tenant"),
      h("dd", null, event.tenant ?? "—"),
      h("dt", null, "Accepted"),
      h("dd", null, time(event.createdAt)),
    ),
    h("h2", null, "Payload"),
    pre(prettyJson(event.envelope), "Event payload"),
    h("h2", null, "Deliveries"),
    live,
    event.deliveries.length === 0
      ? empty("No endpoint was subscribed to this event when it arrived, so nothing was sent. Add an endpoint for its type, then replay.")
      : table(
          "Deliveries",
          ["Endpoint", "Status", "Version", "Attempts", "Last attempt", "Next attempt", "Failure", ...(write ? ["Action"] : [])],
          event.deliveries.map((d) => deliveryRow(d).filter((c) => c !== null)),
        ),
    h("h2", null, "Attempts"),
    attempts.length === 0
      ? empty("No attempt yet. The first one is made within seconds of the event arriving.")
      : [...byEndpoint].map(([endpointId, list]) =>
          timeline(
            endpointId,
            list,
            event.deliveries.find((d) => d.endpointId === endpointId),
          ),
        ),
  ];
}

function timeline(endpointId: string, attempts: Attempt[], delivery: Delivery | undefined): HTMLElement {
  return h(
    "div",
    { class: "timeline" },
    h("h3", null, "To ", h("a", { href: link("endpoints", endpointId) }, endpointId)),
    h(
      "ol",
      null,
      attempts.map((a, i) =>
        h(
          "li",
          { class: `attempt attempt-${a.status.replace(/[^a-z]/g, "")}` },
          h(
            "details",
            { "data-id": a.id, open: i === attempts.length - 1 && a.status !== "succeeded" },
            h(
              "summary",
              null,
              `Attempt ${i + 1} · `,
              time(a.createdAt),
              " · ",
              badge(a.status),
              " · ",
              a.statusCode === null ? (a.error?.code ?? "no response") : `HTTP ${a.statusCode}`,
              a.durationMs === null ? "" : ` · ${a.durationMs} ms`,
            ),
            attemptDetail(a),
          ),
        ),
      ),
      delivery?.nextAttemptAt
        ? h(
            "li",
            { class: "attempt attempt-next" },
            "Next attempt ",
            time(delivery.nextAttemptAt),
            ` (${relativeTime(delivery.nextAttemptAt)})`,
          )
        : null,
    ),
  );
}

function headersTable(caption: string, headers: Record<string, string> | undefined): Node | null {
  if (headers === undefined) return null;
  const entries = Object.entries(headers);
  return h(
    "div",
    null,
    h("h4", null, caption),
    entries.length === 0
      ? h("p", { class: "muted" }, "none")
      : table(
          caption,
          ["Header", "Value"],
          entries.map(([k, v]) => [k, h("code", null, v)]),
        ),
  );
}

function attemptDetail(a: Attempt): HTMLElement {
  return h(
    "div",
    { class: "attempt-detail" },
    a.error === undefined ? null : h("p", null, h("strong", null, "Error: "), `${a.error.message} (${a.error.code})`),
    headersTable("Request headers", a.requestHeaders),
    headersTable("Response headers", a.responseHeaders),
    h("h4", null, "Response body"),
    a.responseBody === null || a.responseBody === ""
      ? h("p", { class: "muted" }, "empty")
      : pre(prettyBody(a.responseBody), "Response body"),
  );
}
