/** The background logic over the real browser: the one instance the worker's glue calls. */
import { Storage } from "@plasmohq/storage";
import { type Background, createBackground } from "./handlers";
import type { MessageAnswer, MessageBody, MessageName } from "./protocol";

let instance: Background | undefined;

export function background(): Background {
  instance ??= createBackground({
    local: new Storage({ area: "local" }),
    session: new Storage({ area: "session" }),
    sidePanel: chrome.sidePanel,
  });
  return instance;
}

/** A Plasmo message handler that answers with the named background function. */
export function answer<N extends MessageName>(name: N) {
  return async (
    request: { body?: MessageBody<N>; sender?: chrome.runtime.MessageSender },
    response: { send: (body: MessageAnswer<N>) => void },
  ): Promise<void> => {
    const handle = background().messages[name] as (
      body: MessageBody<N>,
      sender: chrome.runtime.MessageSender,
    ) => Promise<MessageAnswer<N>>;
    response.send(await handle(request.body as MessageBody<N>, request.sender ?? {}));
  };
}
