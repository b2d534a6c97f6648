import type { PageJson } from '../../../adapters/db/repositories/articles.js';
import { meta } from '../common-schema.js';

// A page of summaries whose `data` the database wrote as JSON (article-summary-json.ts), made into the response the
// route's serializer would write for it: `{"data":[…],"meta":{…}}`, the same bytes, without a string between.

export const JSON_TYPE = 'application/json; charset=utf-8';

const OPEN = Buffer.from('{"data":');

export function pageJsonBody({ json, total }: PageJson, pageNo: number, limit: number): Buffer {
  // meta's properties are numbers, in the schema's order: JSON.stringify writes them as the serializer does.
  return Buffer.concat([OPEN, json, Buffer.from(`,"meta":${JSON.stringify(meta(pageNo, limit, total))}}`)]);
}
