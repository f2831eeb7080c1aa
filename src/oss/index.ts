export * from './api';
export * from './client';
export * from './credentials';
export * from './csv';
export * from './errors';
export * from './model';
export * from './retry';
export * from './signer';
