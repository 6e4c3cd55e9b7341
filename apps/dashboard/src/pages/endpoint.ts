/**
 * One endpoint: its settings and health, enable/disable, secret rotation (the new secret shown once),
 * a test event, recovering its dead letters since a time, editing, and its latest attempts.
 */
import { get, patch, post } from "../api.js";
import { type AppState, canWrite, seesTenants } from "../app.js";
import { eventTypes } from "../catalog-cache.js";
import { type Child, h, replace } from "../dom.js";
import { localInputToIso, percent, prettyJson } from "../format.js";
import { link, navigate } from "../router.js";
import { secretReveal } from "../secret-reveal.js";
import { sendTestEvent } from "../test-event.js";
import type { Attempt, Endpoint, Page } from "../types.js";
import { act, badge, button, empty, field, heading, notify, pre, table, time } from "../ui.js";
import { endpointForm } from "./endpoint-form.js";

export async function endpointPage(id: string, app: AppState): Promise<Node> {
  const path = `/v1/endpoints/${encodeURIComponent(id)}`;
  const [endpoint, types, attempts] = await Promise.all([
    get<Endpoint>(path),
    eventTypes(),
    get<Page<Attempt>>(`${path}/attempts`, { limit: "20" }),
  ]);
  const write = canWrite(app);
  const reveal = h("div");
  const reload = () => navigate(link("endpoints", id));

  const toggle = button(endpoint.disabled ? "Enable" : "Disable", async () => {
    await act(toggle, async () => {
      await patch(path, { disabled: !endpoint.disabled });
      notify(endpoint.disabled ? "Endpoint enabled: deliveries resume." : "Endpoint disabled: deliveries wait until it is enabled.");
      reload();
    });
  });
  const rotate = button("Rotate secret", async () => {
    await act(rotate, async () => {
      const { secret } = await post<{ secret: string }>(`${path}/rotate-secret`, {});
      replace(
        reveal,
        secretReveal(secret, () => {}),
      );
      notify("Secret rotated: the old one keeps signing beside the new one for 24 hours.");
    });
  });

  const subscribed = types.filter(
    (t) =>
      endpoint.eventTypes === null ||
      endpoint.eventTypes.some((p) => p === t.type || (p.endsWith(".*") && t.type.startsWith(p.slice(0, -1)))),
  );
  const testType = h(
    "select",
    { id: "test-type" },
    subscribed.map((t) => h("option", { value: t.type }, t.type)),
  );
  const sendTest = button("Send test event", async () => {
    const type = subscribed.find((t) => t.type === testType.value);
    if (type === undefined) return;
    await act(sendTest, async () => {
      const eventId = await sendTestEvent(type, endpoint.tenant);
      notify(`Test event ${eventId} sent.`);
      navigate(link("events", eventId));
    });
  });

  const since = h("input", { type: "datetime-local", id: "recover-since", required: true });
  const recover = h("button", { type: "submit" }, "Recover");
  const recoverForm = h(
    "form",
    {
      class: "inline",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const iso = localInputToIso(since.value);
        if (iso === undefined) return notify("Pick the time to recover from.", "error");
        await act(recover, async () => {
          const { recovered } = await post<{ recovered: number }>(`${path}/recover`, { since: iso });
          notify(
            recovered === 0
              ? "No failed deliveries since then: nothing to recover."
              : `${recovered} failed deliver${recovered === 1 ? "y" : "ies"} queued again.`,
          );
        });
      },
    },
    field("Recover failed deliveries of events since", since),
    recover,
  );

  const health = endpoint.health;
  const facts: [string, Child][] = [
    ["Id", h("code", null, endpoint.id)],
    ["Description", endpoint.description ?? "—"],
    ...(seesTenants(app) ? ([["Tenant", endpoint.tenant ?? "none (events sent without a tenant)"]] as [string, Child][]) : []),
    ["State", endpoint.disabled ? h("span", null, badge("disabled"), " ", endpoint.disabledReason ?? "") : badge("enabled")],
    ["Event types", endpoint.eventTypes === null ? "every type" : endpoint.eventTypes.join(", ") || "none"],
    [
      "Pinned versions",
      // Only the types it receives (every type carries a pin, most are noise here).
      subscribed
        .filter((t) => endpoint.pins[t.type] !== undefined)
        .map((t) => `${t.type} v${endpoint.pins[t.type]}`)
        .join(", ") || "—",
    ],
    ["Rate limit", endpoint.rateLimit === null ? "none" : `${endpoint.rateLimit} per second`],
    ["Created", time(endpoint.createdAt)],
    ["Updated", time(endpoint.updatedAt)],
  ];
  if (health !== undefined) {
    facts.push(
      ["Success (24 h)", `${percent(health.successRate)} of ${health.attempts24h} attempts (${health.failures24h} failed)`],
      ["Last error", health.lastError === null ? "none" : h("span", null, health.lastError.message, " · ", time(health.lastError.at))],
      ["Failing since", time(health.failingSince)],
    );
  }

  return h(
    "section",
    null,
    heading(endpoint.url, write ? [toggle, rotate] : null),
    h(
      "p",
      null,
      h("a", { href: link("events", { endpointId: id }) }, "Its events"),
      " · ",
      h("a", { href: link("dead-letters", { endpointId: id }) }, "Its dead letters"),
    ),
    reveal,
    h(
      "dl",
      { class: "facts" },
      facts.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
    ),
    Object.keys(endpoint.metadata).length === 0
      ? null
      : [h("h2", null, "Metadata"), pre(prettyJson(endpoint.metadata), "Endpoint metadata")],
    write && subscribed.length > 0 ? h("div", { class: "panel" }, h("h2", null, "Test"), field("Event type", testType), sendTest) : null,
    write ? h("div", { class: "panel" }, h("h2", null, "Dead letters"), recoverForm) : null,
    h("h2", null, "Latest attempts"),
    attempts.data.length === 0
      ? empty("No delivery attempts yet. Send a test event to see one arrive.")
      : table(
          "Latest attempts",
          ["When", "Event", "Outcome", "Status", "Latency"],
          attempts.data.map((a) => [
            time(a.createdAt),
            h("a", { href: link("events", a.eventId) }, a.eventId),
            badge(a.status),
            a.statusCode === null ? (a.error?.message ?? "—") : String(a.statusCode),
            a.durationMs === null ? "—" : `${a.durationMs} ms`,
          ]),
        ),
    write
      ? h(
          "details",
          { class: "panel" },
          h("summary", null, "Edit endpoint"),
          endpointForm({
            types,
            endpoint,
            askTenant: false,
            submitLabel: "Save changes",
            onSubmit: async (body, submit) => {
              await act(submit, async () => {
                await patch(path, body);
                notify("Endpoint saved.");
                reload();
              });
            },
          }),
        )
      : null,
  );
}
