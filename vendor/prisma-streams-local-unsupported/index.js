// `prisma dev` is the only user of @prisma/streams-local, and it needs Node 22: say so if asked.
throw new Error('prisma dev is not supported by this project (it needs Node 22); use DATABASE_URL or the embedded PGlite');
