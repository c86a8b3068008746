export { DEFAULT_SAMPLE, generateSampleEvents, sampleBatches, sampleWindow } from './generate.ts';
export type { SampleOptions } from './generate.ts';
export { seedSampleData } from './seed.ts';
export type { SeedOptions, SeedProgress, SeedResult } from './seed.ts';
