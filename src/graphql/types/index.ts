// Every GraphQL type lives in a file of its own; this only imports them.
import './root.js';
import './scalars.js';
import './errors.js';
import './viewer.js';
import './arrow-settings.js';
import './waldur-customer.js';
import './project.js';
import './offering.js';
import './resource.js';
import './arrow-customer.js';
import './arrow-license.js';
import './billing-summary.js';
import './arrow-data.js';
import './customer-mapping.js';
import './billing.js';
import './flow-mutations.js';
import './waldur-sync.js';
