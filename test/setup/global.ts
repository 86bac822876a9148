import { pgliteTemplate, postgresTemplate } from "../helpers/templates";

/** Builds the migrated database templates once, before the workers start copying them (helpers/templates.ts). */
export default async function globalSetup(): Promise<void> {
  await pgliteTemplate();
  if (process.env.TEST_DATABASE_URL) await postgresTemplate();
}
