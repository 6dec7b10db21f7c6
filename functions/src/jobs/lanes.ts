/**
 * One job per tenant lane at a time across every worker process: a session advisory lock on
 * a connection of its own, held while the job runs. A crashed worker's connection closes and
 * the lock goes with it, so a lane is never stuck.
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
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, maxConnections: number) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections });
    // A lock connection closed by the server loses its lock; the job finishing will notice.
    this.pool.on("error", () => undefined);
  }

  /** The lane's lease, or null when another job of the lane runs (here or elsewhere). */
  async tryTake(lane: string): Promise<LaneLease | null> {
    const client = await this.pool.connect();
    let taken: boolean;
    try {
      const result = await client.query<{ taken: boolean }>(
        "select pg_try_advisory_lock(hashtextextended($1, 0)) as taken",
        [`encaisse:lane:${lane}`],
      );
      taken = result.rows[0]?.taken === true;
    } catch (error) {
      client.release(true);
      throw error;
    }
    if (!taken) {
      client.release();
      return null;
    }
    return {
      release: async () => {
        try {
          await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [
            `encaisse:lane:${lane}`,
          ]);
          client.release();
        } catch {
          // Dropping the connection drops the lock with it.
          client.release(true);
        }
      },
    };
  }

  /** Runs `operation` holding `name` across processes, waiting for it if need be. */
  async withLock<T>(name: string, operation: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const key = `encaisse:lock:${name}`;
    try {
      await client.query("select pg_advisory_lock(hashtextextended($1, 0))", [key]);
      try {
        return await operation();
      } finally {
        await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [key]);
      }
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
