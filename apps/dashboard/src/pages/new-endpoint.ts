/** Adding an endpoint: the form, then the signing secret, shown once. */
import { post } from "../api.js";
import { type AppState, seesTenants } from "../app.js";
import { eventTypes } from "../catalog-cache.js";
import { h, replace } from "../dom.js";
import { link, navigate } from "../router.js";
import { secretReveal } from "../secret-reveal.js";
import type { Endpoint } from "../types.js";
import { act, heading } from "../ui.js";
import { endpointForm } from "./endpoint-form.js";

export async function newEndpointPage(app: AppState): Promise<Node> {
  const types = await eventTypes();
  const section = h("section", null, heading("Add an endpoint"));
  const form = endpointForm({
    types,
    askTenant: seesTenants(app),
    submitLabel: "Add endpoint",
    onSubmit: async (body, submit) => {
      await act(submit, async () => {
        const created = await post<Endpoint>("/v1/endpoints", body);
        replace(
          section,
          heading("Endpoint added"),
          h("p", null, "Deliveries to ", h("strong", null, created.url), " start with the next matching event."),
          secretReveal(created.secret ?? "", () => navigate(link("endpoints", created.id))),
        );
      });
    },
  });
  section.append(form);
  return section;
}
