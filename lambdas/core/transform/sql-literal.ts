/**
 * The dialect-aware literal helpers, kept under their transform name for the model runner's modules; they live
 * in `core/sql/sql-text.ts` because syncs and loads write data-derived text to the same warehouses.
 */
export { textLiteral, truncateUtf8 } from '../sql/sql-text.js';
