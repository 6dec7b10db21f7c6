// Creates a migrated, empty embedded database in a directory: the template every sandbox
// start copies. Its own process, so that it uses the second core while the emulators are
// seeded (a cold PGlite takes seconds to initialize), and plain JavaScript so that it starts
// at once. It opens PGlite and migrates exactly as functions/src/store/open.ts does, which
// migrates again (nothing to do) when the sandbox opens the copy.
//
//   node test/sandbox/make-template.mjs <data dir> <migrations folder>
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

const [dataDir, migrationsFolder] = process.argv.slice(2);
if (!dataDir || !migrationsFolder) {
  process.stderr.write("usage: make-template.mjs <data dir> <migrations folder>\n");
  process.exit(2);
}
const client = await PGlite.create({ dataDir });
await migrate(drizzle({ client }), { migrationsFolder });
await client.close();
