// Child process of crash.test.ts: appends to the store in argv[2] until killed, printing each
// entry's seq on stdout once its append resolved (i.e. once it was acknowledged as durable).
import { openFileStore } from '../../../src/store/index.ts';

const dir = process.argv[2]!;
const store = await openFileStore(dir);
let next = 1;

// Several appends in flight so group commit is at work. `append` assigns seqs in call order, and
// the directory starts empty, so entry `k<i>` gets seq i.
async function appendForever(): Promise<never> {
  for (;;) {
    const seq = next++;
    await store.append([{ op: 'put', collection: 'crash', key: `k${seq}`, value: { seq } }]);
    process.stdout.write(`${seq}\n`); // synchronous on a pipe: printed means the parent can see it
  }
}

await Promise.all(Array.from({ length: 8 }, appendForever));
