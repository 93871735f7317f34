/**
 * The shapes CleverTap answers with (https://developer.clevertap.com/docs/upload-user-profiles-api,
 * https://developer.clevertap.com/docs/custom-list-endpoints, and real answers recorded in
 * tradeo/clevertap-ruby's spec/vcr_cassettes). Parse, don't trust: fields we do not use are
 * allowed and ignored; fields we rely on are required.
 */
import { z } from 'zod';

/** `{"status":"fail","error":"Account ID is not valid","code":401}` and friends. */
export const errorBodySchema = z.object({
  status: z.literal('fail'),
  error: z.string(),
  code: z.number().optional(),
});
export type CleverTapErrorBody = z.infer<typeof errorBodySchema>;

/** One rejected record. `record` was a JSON string in 2017 and is a JSON object in 2024. */
const unprocessedRecordSchema = z.object({
  status: z.string().optional(),
  code: z.number(),
  error: z.string(),
  record: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});
export type UnprocessedRecord = z.infer<typeof unprocessedRecordSchema>;

/** `POST /1/upload`: HTTP 200 even when records fail; top-level status success, partial or fail. */
const uploadResponseSchema = z.object({
  status: z.enum(['success', 'partial', 'fail']),
  processed: z.number().int().nonnegative(),
  unprocessed: z.array(unprocessedRecordSchema).default([]),
});

/** A 200 from /1/upload is either a per-record report or a whole-request failure body. */
export const uploadAnswerSchema = z.union([uploadResponseSchema, errorBodySchema]);

/** `POST /get_custom_list_segment_url` success. */
export const customListUrlResponseSchema = z.object({
  status: z.literal('success'),
  presignedS3URL: z.url({ protocol: /^https$/ }),
  expiry: z.string().optional(),
});

/** `POST /upload_custom_list_segment_completed` success: `{"status":"success","Segment ID":123}`. */
const customListCompletedResponseSchema = z.object({
  status: z.literal('success'),
  'Segment ID': z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
});

export const customListCompletedAnswerSchema = z.union([customListCompletedResponseSchema, errorBodySchema]);
