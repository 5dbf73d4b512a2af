// What the control socket can be asked, over a running server's services: the people, key, token
// and backup verbs of the CLI, each the same app function the CLI runs on a stopped server's data.
import { addPerson, listPeople, peopleContext, PeopleError, removePerson, setEmail, setPassword } from '../app/people.ts';
import { NothingToBackUp, pinForBackup } from '../app/backup.ts';
import type { Services } from '../app/services.ts';
import type { Store } from '../store/index.ts';
import { mintTokens } from '../app/local-tokens.ts';
import { exportToFile, importFromPath } from '../app/notes-io.ts';
import type { ControlOp } from './protocol.ts';
import { OperatorError, type ControlHandler } from './socket.ts';

function text(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new OperatorError(`${name} is missing`);
  return value;
}

const flag = (args: Record<string, unknown>, name: string): boolean => args[name] === true;

/** App refusals are the operator's to read; anything else is the server's failure. */
async function asOperator<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PeopleError || error instanceof NothingToBackUp) throw new OperatorError(error.message);
    throw error;
  }
}

export function controlHandlers(services: Services, store: Store): Record<ControlOp, ControlHandler> {
  const people = peopleContext(services);
  return {
    'people.list': () => asOperator(() => listPeople(people)),
    'people.add': (args) => asOperator(() => addPerson(people, text(args, 'username'), text(args, 'password'))),
    'people.passwd': (args) => asOperator(() => setPassword(people, text(args, 'username'), text(args, 'password'), { keepApps: flag(args, 'keepApps') })),
    'people.remove': (args) => asOperator(() => removePerson(people, text(args, 'username'), { deleteNotes: flag(args, 'deleteNotes') })),
    'people.email': (args) => asOperator(() => setEmail(people, text(args, 'username'), args['email'] === null ? null : text(args, 'email'), flag(args, 'verified'))),
    'keys.list': () => Promise.resolve(services.signingKeys.roles()),
    'keys.rotate': () => services.signingKeys.rotate(),
    'store.pin': () => asOperator(() => pinForBackup(store, services.config.dataDir)),
    'tokens.mint': (args) => asOperator(() => mintTokens(services, text(args, 'username'), text(args, 'scope'))),
    'notes.export': (args) => asOperator(() => exportToFile(services, text(args, 'username'), text(args, 'path'))),
    'notes.import': (args) => asOperator(() => importFromPath(services, text(args, 'username'), text(args, 'path'))),
  };
}
