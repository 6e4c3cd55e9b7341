/** The catalog: every event type; one type's schema, examples and versions, and "send test event" with its example. */
import { type AppState, canWrite, seesTenants } from "../app.js";
import { eventTypes } from "../catalog-cache.js";
import { h } from "../dom.js";
import { prettyJson } from "../format.js";
import { link, navigate } from "../router.js";
import { sendTestEvent } from "../test-event.js";
import { act, button, empty, errorBox, field, heading, notify, pre, table } from "../ui.js";

export async function catalogPage(type: string | undefined, app: AppState): Promise<Node> {
  const types = await eventTypes();
  if (type === undefined) {
    return h(
      "section",
      null,
      heading("Event types"),
      types.length === 0
        ? empty("The catalog has no event types. Add schemas to the catalog, run npm run generate, and reload the server's catalog.")
        : table(
            "Event types",
            ["Type", "Version", "Description"],
            types.map((t) => [
              h("a", { href: link("catalog", t.type) }, t.type),
              `v${t.version}${t.deprecated ? " (deprecated)" : ""}`,
              t.description,
            ]),
          ),
    );
  }
  const info = types.find((t) => t.type === type);
  if (info === undefined) return errorBox(new Error(`The catalog has no event type "${type}".`), "Pick one from the list of event types.");
  const tenant = h("input", { id: "test-tenant", maxlength: "200", placeholder: "none" });
  const send: HTMLButtonElement = button("Send test event", async () => {
    await act(send, async () => {
      const id = await sendTestEvent(info, seesTenants(app) && tenant.value.trim() !== "" ? tenant.value.trim() : null);
      notify(`Test event ${id} sent.`);
      navigate(link("events", id));
    });
  });
  return h(
    "section",
    null,
    heading(info.type, canWrite(app) && info.examples.length > 0 ? send : null),
    canWrite(app) && seesTenants(app) ? field("Tenant of the test event", tenant, "Leave empty to send it without a tenant.") : null,
    h("p", null, info.description),
    h(
      "p",
      null,
      "Versions: ",
      info.versions.map((v) => `v${v.version}${v.deprecated ? " (deprecated)" : ""} (${v.pinnedEndpoints} pinned)`).join(", "),
    ),
    h("h2", null, "Examples"),
    info.examples.length === 0
      ? empty("No examples in the catalog for this type.")
      : info.examples.map((e, i) => pre(prettyJson(e), `Example ${i + 1}`)),
    h("h2", null, "Schema"),
    pre(prettyJson(info.schema), "JSON Schema"),
  );
}
