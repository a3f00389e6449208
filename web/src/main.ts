import { mount } from "svelte";
import { ankiBridge } from "./bridge/bridge";
import { startEngine } from "./engine/engine";
import Settings from "./ui/settings/Settings.svelte";
import Sidebar from "./ui/Sidebar.svelte";
import "./ui/theme.css";

// One bundle, one page per hash: #sidebar (which also runs the orchestrator) or #settings.
const bridge = ankiBridge();
const target = document.getElementById("app");
if (target) {
  if (location.hash === "#settings") {
    mount(Settings, { target, props: { bridge } });
  } else {
    mount(Sidebar, { target, props: { engine: startEngine(bridge) } });
  }
}
