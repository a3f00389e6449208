// One test file's real parts: a display, the Flipnem stand-in, a proxy in front of it,
// and every Anki the file launched; all started before its tests and stopped by pid after.
import { afterAll, beforeAll } from "vitest";
import { Anki, freePort, SyncServer, Xvfb } from "./harness";
import { Proxy } from "./proxy";

export class World {
  readonly server = new SyncServer();
  readonly xvfb = new Xvfb();
  readonly proxy = new Proxy(() => this.server.port, freePort);
  private readonly ankis: Anki[] = [];

  async start(): Promise<void> {
    await this.xvfb.start();
    await this.server.start();
    await this.proxy.start();
  }

  /** A new Anki base; `viaProxy` points its profile at the proxy instead of the server. */
  anki(viaProxy = false): Anki {
    const anki = new Anki(this.server, this.xvfb);
    if (viaProxy) anki.endpoint = this.proxy.endpoint;
    this.ankis.push(anki);
    return anki;
  }

  async stop(): Promise<void> {
    for (const anki of this.ankis) await anki.kill();
    await this.proxy.stop();
    await this.server.stop();
    await this.xvfb.stop();
  }
}

export function useWorld(): World {
  const world = new World();
  beforeAll(() => world.start());
  afterAll(() => world.stop());
  return world;
}
