/** Starts `middleware-server.js` in a worker thread and talks to it (receiver middleware and the e2e ceiling use it). */

import { Worker } from "node:worker_threads";
import type { ServerCommand, ServerMessage } from "./middleware-server.js";

type Reply<T extends ServerMessage["type"]> = Extract<ServerMessage, { type: T }>;

export interface ServerWorker {
  readonly oursPort: number;
  readonly barePort: number;
  ask<T extends ServerMessage["type"]>(command: ServerCommand, reply: T): Promise<Reply<T>>;
  close(): Promise<void>;
}

export async function startServerWorker(): Promise<ServerWorker> {
  const worker = new Worker(new URL("./middleware-server.js", import.meta.url));
  const waitFor = <T extends ServerMessage["type"]>(type: T) =>
    new Promise<Reply<T>>((resolve, reject) => {
      const onMessage = (message: ServerMessage) => {
        if (message.type !== type) return;
        worker.off("message", onMessage).off("error", reject);
        resolve(message as Reply<T>);
      };
      worker.on("message", onMessage).once("error", reject);
    });
  const ask = <T extends ServerMessage["type"]>(command: ServerCommand, reply: T) => {
    const answer = waitFor(reply);
    worker.postMessage(command);
    return answer;
  };
  const ready = await waitFor("ready");
  return {
    oursPort: ready.oursPort,
    barePort: ready.barePort,
    ask,
    async close() {
      await ask({ type: "close" }, "closed").catch(() => undefined);
      await worker.terminate();
    },
  };
}
