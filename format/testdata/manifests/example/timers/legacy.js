// Rarely used timer helpers, evaluated on first import.
export const legacy = true;
