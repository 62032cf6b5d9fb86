import { buildGateway } from '../../scripts/build-gateway.mjs';

/** Tests start the gateway as `npm start` does, from its bundle: rebuilt here when src/ is newer. */
export async function setup() {
  await buildGateway();
}
