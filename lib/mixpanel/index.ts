export * from './client';
export * from './errors';
export * from './me';
export * from './regions';
export { cohortListSchema, engageResponseSchema, meResponseSchema, errorBodySchema } from './schemas';
