// Bounds on what one request or one event may carry. Mixpanel's own limits where it has them
// (2,000 events and 10 MB per request, 255-character names), generous ones elsewhere.
export const LIMITS = {
  eventsPerRequest: 2000,
  bodyBytes: 10 * 1024 * 1024,
  eventNameChars: 255,
  propertiesPerEvent: 2000,
  propertyNameChars: 255,
  /** A top-level string value; longer ones are rejected rather than silently truncated. */
  stringValueChars: 64 * 1024,
  /** The whole event as JSON. */
  eventJsonChars: 1024 * 1024,
  /** Nesting of lists/objects inside properties (deeper JSON breaks recursive serializers). */
  valueDepth: 32,
  distinctIdChars: 255,
  insertIdChars: 255,
  /** /import refuses events dated before 1971-01-01 or more than an hour ahead, as Mixpanel does. */
  importMinTimeMs: 31_536_000_000,
  importMaxFutureMs: 3_600_000,
  /** The largest JavaScript Date (and so the largest storable time). */
  maxTimeMs: 8.64e15,
} as const;

/** Time values at or above this are read as milliseconds (1e11 s is the year 5138). */
export const MILLISECONDS_THRESHOLD = 1e11;
