/** Endpoints with their health (success rate over 24 h, last error, why disabled), filtered by tenant and state. */
import { get } from "../api.js";
import { type AppState, canWrite, seesTenants } from "../app.js";
import { h } from "../dom.js";
import { percent } from "../format.js";
import { link, navigate, type Route } from "../router.js";
import type { Endpoint, Page } from "../types.js";
import { badge, empty, field, heading, table, time } from "../ui.js";

export async function endpointsPage(route: Route, app: AppState): Promise<Node> {
  const q = route.query;
  const filters = { tenant: q.get("tenant") ?? undefined, disabled: q.get("disabled") ?? undefined, cursor: q.get("cursor") ?? undefined };
  const page = await get<Page<Endpoint>>("/v1/endpoints", {
    tenant: filters.tenant,
    disabled: filters.disabled,
    after: filters.cursor,
    limit: "50",
  });

  const tenant = h("input", { name: "tenant", value: filters.tenant ?? "", placeholder: "any", maxlength: "200" });
  const state = h(
    "select",
    { name: "disabled" },
    h("option", { value: "" }, "all"),
    h("option", { value: "false", selected: filters.disabled === "false" }, "enabled"),
    h("option", { value: "true", selected: filters.disabled === "true" }, "disabled"),
  );
  const form = h(
    "form",
    {
      class: "filters",
      role: "search",
      "aria-label": "Filter endpoints",
      onsubmit: (event: Event) => {
        event.preventDefault();
        navigate(link("endpoints", { tenant: seesTenants(app) ? tenant.value.trim() : undefined, disabled: state.value }));
      },
    },
    seesTenants(app) ? field("Tenant", tenant) : null,
    field("State", state),
    h("button", { type: "submit" }, "Filter"),
  );

  const rows = page.data.map((e) => [
    h("a", { href: link("endpoints", e.id) }, e.url),
    e.description === null ? "" : h("span", { class: "muted" }, e.description),
    seesTenants(app) ? (e.tenant ?? "none") : null,
    e.disabled ? h("span", null, badge("disabled"), " ", e.disabledReason ?? "") : badge("enabled"),
    e.health === undefined ? "—" : `${percent(e.health.successRate)} of ${e.health.attempts24h}`,
    e.health?.lastError ? h("span", null, e.health.lastError.message, " · ", time(e.health.lastError.at)) : "—",
  ]);
  const columns = ["Endpoint", "Description", seesTenants(app) ? "Tenant" : null, "State", "Success (24 h)", "Last error"];
  const keep = columns.map((c) => c !== null);
  return h(
    "section",
    null,
    heading("Endpoints", canWrite(app) ? h("a", { class: "button", href: link("endpoints", "new") }, "Add endpoint") : null),
    form,
    page.data.length === 0
      ? empty(
          filters.tenant !== undefined || filters.disabled !== undefined
            ? "No endpoint matches these filters. Clear them to see every endpoint."
            : "No endpoints yet. Add one: it receives the event types you choose, signed with its own secret.",
          canWrite(app) ? h("a", { class: "button", href: link("endpoints", "new") }, "Add endpoint") : null,
        )
      : table(
          "Endpoints",
          columns.filter((c): c is string => c !== null),
          rows.map((r) => r.filter((_, i) => keep[i])),
        ),
    page.nextCursor === null
      ? null
      : h("p", null, h("a", { href: link("endpoints", { ...filters, cursor: page.nextCursor }) }, "Next page")),
  );
}
