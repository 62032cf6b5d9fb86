import { defineConfig } from 'prisma/config';

// Prisma 7 reads no .env by itself. The CLI is used here only for `prisma generate`;
// migrations are written offline (../shared/tools/prisma-migration) and applied by the server.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
