/** Typed messages to the background worker over Plasmo messaging (`background/messages/*`). */
import { sendToBackground as plasmoSend } from "@plasmohq/messaging";
import type { SendToBackground } from "./protocol";

export const sendToBackground: SendToBackground = (name, body) =>
  // Plasmo types message names from a file it generates at build time; ours are in protocol.ts.
  plasmoSend({ name: name as never, body });
