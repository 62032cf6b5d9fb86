import { builder } from '../builder.js';

// Every root field needs a staff user unless it says otherwise (viewer does).
builder.queryType({ description: 'What can be read: mappings and their screens, Arrow, the Waldur mirror, billing and its flows. Staff and support only, except viewer.', authScopes: { staff: true } });
builder.mutationType({ description: 'What can be changed: each mutation applies fully or not at all, and answers what it changed or a typed error. Staff only.', authScopes: { staff: true } });
builder.subscriptionType({ description: 'Progress of long work, as it happens (Server-Sent Events).', authScopes: { staff: true } });
