export * from './batch-job';
export * from './enums';
export * from './manifest';
export * from './manifest-from-prefix';
export * from './operation';
