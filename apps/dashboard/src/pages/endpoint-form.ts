/**
 * The endpoint form, for adding and for editing: URL, description, event types chosen from the catalog
 * (or every type), rate limit, tenant (operators adding one), and the version each type is pinned to.
 */
import { h } from "../dom.js";
import type { Endpoint, EventType } from "../types.js";
import { field } from "../ui.js";

export interface EndpointBody {
  url?: string;
  description?: string | null;
  eventTypes?: string[] | null;
  rateLimit?: number | null;
  tenant?: string | null;
  pins?: Record<string, number>;
}

export function endpointForm(options: {
  types: EventType[];
  endpoint?: Endpoint;
  askTenant: boolean;
  submitLabel: string;
  onSubmit: (body: EndpointBody, submit: HTMLButtonElement) => Promise<void>;
}): HTMLFormElement {
  const { types, endpoint } = options;
  const url = h("input", {
    type: "url",
    name: "url",
    required: true,
    placeholder: "https://example.com/webhooks",
    value: endpoint?.url ?? "",
    autocomplete: "off",
  });
  const description = h("input", { name: "description", maxlength: "1024", value: endpoint?.description ?? "" });
  const tenant = h("input", { name: "tenant", maxlength: "128", placeholder: "none: receives events sent without a tenant" });
  const rateLimit = h("input", {
    type: "number",
    name: "rateLimit",
    min: "0.001",
    max: "10000",
    step: "any",
    value: endpoint?.rateLimit ?? "",
    placeholder: "no limit",
  });
  const chosen = new Set(endpoint?.eventTypes ?? []);
  const every = h("input", { type: "checkbox", id: "every-type", checked: endpoint === undefined || endpoint.eventTypes === null });
  const boxes = types.map((t) => h("input", { type: "checkbox", value: t.type, checked: chosen.has(t.type), id: `type-${t.type}` }));
  const syncDisabled = () => {
    for (const box of boxes) box.disabled = every.checked;
  };
  every.addEventListener("change", syncDisabled);
  syncDisabled();
  const pinned = types.filter((t) => t.versions.length > 1);
  const pinSelects = pinned.map((t) =>
    h(
      "select",
      { "data-type": t.type, id: `pin-${t.type}` },
      t.versions.map((v) =>
        h(
          "option",
          { value: String(v.version), selected: (endpoint?.pins[t.type] ?? t.version) === v.version },
          `v${v.version}${v.deprecated ? " (deprecated)" : ""}`,
        ),
      ),
    ),
  );
  const submit = h("button", { type: "submit" }, options.submitLabel);

  return h(
    "form",
    {
      class: "stack",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const body: EndpointBody = {
          url: url.value.trim(),
          description: description.value.trim() === "" ? null : description.value.trim(),
          eventTypes: every.checked ? null : boxes.filter((b) => b.checked).map((b) => b.value),
          rateLimit: rateLimit.value === "" ? null : Number(rateLimit.value),
        };
        if (options.askTenant && tenant.value.trim() !== "") body.tenant = tenant.value.trim();
        if (pinSelects.length > 0) body.pins = Object.fromEntries(pinSelects.map((s) => [s.dataset.type ?? "", Number(s.value)]));
        // The masked URL the API shows (with ****) is not sent back unless it was edited.
        if (endpoint !== undefined && body.url === endpoint.url) delete body.url;
        // A new endpoint leaves unset fields out (the create body takes no nulls).
        if (endpoint === undefined) {
          for (const key of Object.keys(body) as (keyof EndpointBody)[]) if (body[key] === null) delete body[key];
        }
        await options.onSubmit(body, submit);
      },
    },
    field("URL", url, "Where the webhooks are POSTed. Must be reachable from the server."),
    field("Description", description),
    options.askTenant ? field("Tenant", tenant, "Only events sent for this tenant go to this endpoint.") : null,
    h(
      "fieldset",
      null,
      h("legend", null, "Event types"),
      h("div", { class: "check" }, every, h("label", { for: "every-type" }, "Every event type (also ones added later)")),
      h(
        "div",
        { class: "types" },
        types.map((t, i) =>
          h(
            "div",
            { class: "check" },
            boxes[i],
            h("label", { for: `type-${t.type}` }, t.type, t.description === "" ? "" : h("small", null, ` — ${t.description}`)),
          ),
        ),
      ),
    ),
    field("Rate limit (deliveries per second)", rateLimit),
    pinned.length === 0
      ? null
      : h(
          "fieldset",
          null,
          h("legend", null, "Pinned versions"),
          h("p", { class: "muted" }, "Each event type is delivered in the version chosen here."),
          pinned.map((t, i) => field(t.type, pinSelects[i] as HTMLElement)),
        ),
    submit,
  );
}
