import { describe, expect, it } from 'vitest';
import { findGuids, GUID_PATTERN, isGuid, uuidV5 } from '../../scripts/model/guid.ts';

describe('guid', () => {
  it('recognises the 8-4-4-4-12 form in any case, and nothing else', () => {
    expect(isGuid('6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6')).toBe(true);
    expect(isGuid('6C2D3F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6')).toBe(true);
    expect(isGuid('{6c2d3f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6}')).toBe(false);
    expect(isGuid('6c2d3f4a1b2c4d5e8f90a1b2c3d4e5f6')).toBe(false);
    expect(isGuid(42)).toBe(false);
    expect(new RegExp(GUID_PATTERN).test('00000000-0000-0000-0000-00000000000g')).toBe(false);
  });
  it('finds GUIDs inside text, in order', () => {
    expect(findGuids("[concat(parameters('workspace'),'/Microsoft.SecurityInsights/6C2D3F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6')]")).toEqual(['6C2D3F4A-1B2C-4D5E-8F90-A1B2C3D4E5F6']);
    expect(findGuids('no id here')).toEqual([]);
  });
  it('makes stable version-5 ids', () => {
    expect(uuidV5('x')).toBe(uuidV5('x'));
    expect(uuidV5('x')).not.toBe(uuidV5('y'));
    expect(isGuid(uuidV5('x'))).toBe(true);
    expect(uuidV5('x')[14]).toBe('5');
  });
});
