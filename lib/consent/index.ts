export * from './types';
export * from './ledger';
export * from './policies';
export * from './evaluate';
export * from './marketplace';
