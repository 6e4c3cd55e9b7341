// The same send from CommonJS: require() of the ES-module package (Node >= 20.19).
const { createSender } = require("@acme/webhooks/sender");

const [url = "", secret = ""] = process.argv.slice(2);
createSender({ secret })
  .send(url, "order.created", { orderId: "ord_43", amountCents: 99, currency: "USD" })
  .then((result) => console.log(JSON.stringify({ sent: result.status })));
