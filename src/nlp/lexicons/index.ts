export * from './first-names.js';
export * from './roles.js';
export * from './organizations.js';
export * from './hedges.js';
