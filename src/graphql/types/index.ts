// Every GraphQL type lives in a file of its own; this only imports them.
import './root.js';
import './viewer.js';
