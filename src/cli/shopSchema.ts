import { z } from 'zod';
import { shopEventSchema } from '../features/shop';

/** `npm run --silent shop:schema > docs/shop-events.schema.json`: the JSON Schema of one shop event, from the zod schemas. */
process.stdout.write(`${JSON.stringify(z.toJSONSchema(shopEventSchema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`);
