/**
 * One job per tenant lane at a time across every worker process: a session advisory lock,
 * held while the job runs. Every lane of this process is held on one connection of its own
 * (a session holds any number of advisory locks), so a worker costs the database one
 * connection for its lanes however many jobs it runs: with a connection per running job, a
 * few workers filled PostgreSQL's `max_connections` and the next query anywhere failed. A
 * crashed worker's connection closes and its locks go with it, so a lane is never stuck.
 *
 * pg-boss's singleton policies would say the same, but in v10 a queued job whose key is
 * already running makes every fetch of the queue fail until that job ends (pg-boss issues
 * #535 and #536): one long sync would stall every tenant. So the queue only drops duplicates
 * while they wait, and the lanes are kept here.
 */
import pg from "pg";

export interface LaneLease {
  release(): Promise<void>;
}

export class LaneLocks {
  private session: Promise<pg.Client> | null = null;
  /** Lanes this process holds: a session's advisory locks are re-entrant, so ask here first. */
  private readonly held = new Set<string>();
  private closed = false;

  constructor(private readonly databaseUrl: string) {}

  /** The lane's lease, or null when another job of the lane runs (here or elsewhere). */
  async tryTake(lane: string): Promise<LaneLease | null> {
    if (this.closed) throw new Error("The lane locks are closed.");
    if (this.held.has(lane)) return null;
    this.held.add(lane);
    const key = `encaisse:lane:${lane}`;
    let client: pg.Client;
    try {
      client = await this.connection();
      const result = await client.query<{ taken: boolean }>(
        "select pg_try_advisory_lock(hashtextextended($1, 0)) as taken",
        [key],
      );
      if (result.rows[0]?.taken !== true) {
        this.held.delete(lane);
        return null;
      }
    } catch (error) {
      this.held.delete(lane);
      throw error;
    }
    return {
      release: async () => {
        try {
          await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [key]);
        } catch {
          // The session is gone, and the lock with it.
        } finally {
          this.held.delete(lane);
        }
      },
    };
  }

  /**
   * Runs `operation` holding `name` across processes, waiting for it if need be. A short-lived
   * connection of its own: waiting for the lock must not hold up the lanes' session.
   */
  async withLock<T>(name: string, operation: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on("error", () => undefined);
    await client.connect();
    try {
      await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [
        `encaisse:lock:${name}`,
      ]);
      // Ending the connection releases the lock.
      return await operation();
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = this.session;
    this.session = null;
    if (session) await (await session.catch(() => null))?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.session) return this.session;
    const client = new pg.Client({ connectionString: this.databaseUrl });
    const session = client.connect().then(() => client);
    // A session closed by the server loses its locks; the next lane opens another one.
    const forget = () => {
      if (this.session === session) this.session = null;
    };
    client.on("error", forget);
    client.on("end", forget);
    session.catch(forget);
    this.session = session;
    return session;
  }
}
