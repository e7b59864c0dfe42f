// The import path features/semanticTokens.ts still uses for the one cache type (cgo/cache.ts).
export { TextKeyedCache } from './cache';
