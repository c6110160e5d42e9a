// Timer functions on top of the core ops.
export function setTimeout() {}
