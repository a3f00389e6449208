import { mount } from "svelte";
import { ankiBridge } from "./bridge/bridge";
import { startEngine } from "./engine/engine";
import Sidebar from "./ui/Sidebar.svelte";
import "./ui/theme.css";

// One bundle, one page per hash: #sidebar (which also runs the orchestrator) or #settings.
const bridge = ankiBridge();
const target = document.getElementById("app");
if (target) {
  const engine = startEngine(bridge);
  mount(Sidebar, { target, props: { engine } });
}
