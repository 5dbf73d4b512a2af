// `npm run bugs` takes half an hour, so a moved file or a reworded line would otherwise be found
// only then: every planted bug must still find its line, exactly once, in the tree as it is.
import { describe, expect, it } from 'vitest';
import { bugs, plantProblem } from './plant.ts';

describe('planted bugs', () => {
  it.each(bugs.map((bug) => [bug.name, bug] as const))('[bugs] "%s" can still be planted: its file exists and its line occurs once', (_name, bug) => {
    expect(plantProblem(bug)).toBeUndefined();
  });

  it('[bugs] a plant whose file moved is reported in one line, not a stack trace', () => {
    expect(plantProblem({ name: 'x', file: 'src/core/gone.ts', find: 'a', replace: 'b' })).toBe('cannot plant "x": src/core/gone.ts does not exist');
    expect(plantProblem({ name: 'y', file: 'src/core/scopes.ts', find: 'no such line anywhere', replace: 'b' })).toBe('cannot plant "y": its pattern occurs 0 times in src/core/scopes.ts, not once');
  });
});
