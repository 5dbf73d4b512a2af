// Loaded into every server under test with `--import`: answers "memory" on the IPC channel the
// bench opened, so V8's heap figures are read the same way for agent-notes and for the peers.
// The channel is unref'd: it never keeps a server alive.
if (process.send !== undefined) {
  process.on('message', (message) => {
    if (message !== 'memory') return;
    // Only when started with --expose-gc (investigations): live data rather than garbage not yet collected.
    globalThis.gc?.();
    process.send({ memory: process.memoryUsage() });
  });
  process.channel?.unref();
}
