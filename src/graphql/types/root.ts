import { builder } from '../builder.js';

// Every root field needs a staff user unless it says otherwise (viewer does).
builder.queryType({ authScopes: { staff: true } });
builder.mutationType({ authScopes: { staff: true } });
builder.subscriptionType({ authScopes: { staff: true } });
