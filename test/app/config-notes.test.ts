// The history and trash settings from the environment: defaults, bounds, and one clear line for a bad value.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../src/config.ts';

describe('history and trash settings', () => {
  it('[NOTES-VER-02][NOTES-TRASH-03][NOTES-VER-05] default to 100 versions, 180 days, 30 days in the trash, restore from tools off', () => {
    const config = configFromEnv({});
    expect(config.noteRetention).toEqual({ versionsPerNote: 100, versionDays: 180, trashDays: 30 });
    expect(config.toolsMayRestore).toBe(false);
    const set = configFromEnv({ NOTES_VERSIONS_KEPT: '0', NOTES_VERSIONS_DAYS: '7', NOTES_TRASH_DAYS: '90', NOTES_TOOLS_RESTORE: 'on' });
    expect(set.noteRetention).toEqual({ versionsPerNote: 0, versionDays: 7, trashDays: 90 });
    expect(set.toolsMayRestore).toBe(true);
  });

  it('[NOTES-VER-02] a value that is not a number in range, or not on/off, is refused naming the variable', () => {
    expect(() => configFromEnv({ NOTES_TRASH_DAYS: 'soon' })).toThrow(/NOTES_TRASH_DAYS/);
    expect(() => configFromEnv({ NOTES_VERSIONS_KEPT: '5000' })).toThrow(/NOTES_VERSIONS_KEPT/);
    expect(() => configFromEnv({ NOTES_VERSIONS_DAYS: '0' })).toThrow(/NOTES_VERSIONS_DAYS/);
    expect(() => configFromEnv({ NOTES_TOOLS_RESTORE: 'maybe' })).toThrow(/NOTES_TOOLS_RESTORE must be on or off/);
  });
});
