// Preloaded into the bot by bench:turns --soak-minutes (node --expose-gc --require): on SIGUSR2 it
// collects garbage and prints the memory use, so the soak compares live heap, not only RSS.
process.on('SIGUSR2', () => {
  if (typeof global.gc === 'function') global.gc();
  process.stderr.write(`KEFU_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
});
