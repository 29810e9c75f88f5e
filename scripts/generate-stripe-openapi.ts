/** npm run openapi:stripe — writes schemas/stripe-2015-07-28.openapi.json from the mock's routes (see src/openapi/stripe.ts). */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STRIPE_DESCRIPTION_FILE, stripeDescriptionText } from '../src/openapi/stripe.js';

const dir = resolve(import.meta.dirname, '..', 'schemas');
writeFileSync(join(dir, STRIPE_DESCRIPTION_FILE), stripeDescriptionText(dir));
process.stdout.write(`wrote schemas/${STRIPE_DESCRIPTION_FILE}\n`);
