import { Storage } from "@plasmohq/storage";
import { languageOf } from "./panel/i18n";
import { tabPageSource } from "./panel/page-source";
import { Panel } from "./panel/Panel";
import { sendToBackground } from "./service/send";
import { tabIdOfPanel } from "./service/side-panel";

const pages = tabPageSource(new Storage({ area: "session" }), tabIdOfPanel(location.search));
const language = languageOf(chrome.i18n?.getUILanguage?.() ?? navigator.language);

export default function SidePanel() {
  return <Panel send={sendToBackground} pages={pages} language={language} />;
}
