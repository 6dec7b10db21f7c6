import { describe, expect, it } from "vitest";
import { MemoryTokenStore, OAuthSession, type OAuthTokens } from "../../src/net/oauth-session";
import { VirtualClock } from "../support/virtual-clock";

/** A token server whose refresh tokens rotate: each works once. */
function rotatingServer(clock: VirtualClock) {
  let generation = 0;
  const valid = new Set(["refresh-0"]);
  return {
    calls: 0,
    async refresh(this: { calls: number }, refreshToken: string): Promise<OAuthTokens> {
      this.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!valid.delete(refreshToken))
        throw new Error(`invalid_grant: ${refreshToken} was already used`);
      generation += 1;
      valid.add(`refresh-${generation}`);
      return {
        accessToken: `access-${generation}`,
        refreshToken: `refresh-${generation}`,
        expiresAt: clock.now() + 3600_000,
        scope: null,
      };
    },
  };
}

describe("OAuth sessions with rotating refresh tokens", () => {
  it("uses the stored token while it is fresh", async () => {
    const clock = new VirtualClock();
    const store = new MemoryTokenStore({
      accessToken: "access-0",
      refreshToken: "refresh-0",
      expiresAt: clock.now() + 600_000,
      scope: null,
    });
    const server = rotatingServer(clock);
    const session = new OAuthSession(store, (t) => server.refresh(t), { clock });
    expect(await session.accessToken()).toBe("access-0");
    expect(server.calls).toBe(0);
  });

  it("refreshes ahead of expiry, once, even when 20 requests need a token at the same moment", async () => {
    const clock = new VirtualClock();
    const store = new MemoryTokenStore({
      accessToken: "access-0",
      refreshToken: "refresh-0",
      expiresAt: clock.now() + 30_000,
      scope: null,
    });
    const server = rotatingServer(clock);
    const session = new OAuthSession(store, (t) => server.refresh(t), { clock });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => session.accessToken()));
    expect(new Set(tokens)).toEqual(new Set(["access-1"]));
    expect(server.calls).toBe(1);
    expect((await store.load())?.refreshToken).toBe("refresh-1");
  });

  it("two sessions sharing one store (two workers) never spend the same refresh token twice", async () => {
    const clock = new VirtualClock();
    const store = new MemoryTokenStore({
      accessToken: "access-0",
      refreshToken: "refresh-0",
      expiresAt: clock.now() - 1,
      scope: null,
    });
    const server = rotatingServer(clock);
    const workerA = new OAuthSession(store, (t) => server.refresh(t), { clock });
    const workerB = new OAuthSession(store, (t) => server.refresh(t), { clock });
    const [a, b] = await Promise.all([workerA.accessToken(), workerB.accessToken()]);
    expect(a).toBe("access-1");
    expect(b).toBe("access-1");
    expect(server.calls).toBe(1);
  });

  it("saves the new pair before handing out the access token", async () => {
    const clock = new VirtualClock();
    const store = new MemoryTokenStore({
      accessToken: "access-0",
      refreshToken: "refresh-0",
      expiresAt: clock.now() - 1,
      scope: null,
    });
    const server = rotatingServer(clock);
    const session = new OAuthSession(
      store,
      async (t) => {
        const next = await server.refresh(t);
        expect(store.saves).toBe(0);
        return next;
      },
      { clock },
    );
    await session.accessToken();
    expect(store.saves).toBe(1);
  });

  it("after a 401, refreshes unless another worker already did", async () => {
    const clock = new VirtualClock();
    const store = new MemoryTokenStore({
      accessToken: "access-0",
      refreshToken: "refresh-0",
      expiresAt: clock.now() + 600_000,
      scope: null,
    });
    const server = rotatingServer(clock);
    const session = new OAuthSession(store, (t) => server.refresh(t), { clock });
    await session.refreshAfterRejection("access-0");
    expect(await session.accessToken()).toBe("access-1");
    // A late 401 for the old token must not burn the new refresh token.
    await session.refreshAfterRejection("access-0");
    expect(server.calls).toBe(1);
  });

  it("says the connection needs reconnecting when there are no credentials", async () => {
    const session = new OAuthSession(new MemoryTokenStore(null), async () => {
      throw new Error("unreachable");
    });
    await expect(session.accessToken()).rejects.toMatchObject({ code: "PROVIDER_NOT_CONNECTED" });
  });
});
