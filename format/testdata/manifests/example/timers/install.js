// Installs the timer globals.
globalThis.__timersInstalled = true;
