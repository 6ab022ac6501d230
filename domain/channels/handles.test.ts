import { isValidHandle, looksLikeChannelId } from './handles';
import { newId } from '../ids';

describe('channel handles', () => {
  it.each(['abc', 'My_Channel-1', 'a'.repeat(30)])('accepts %p', (h) => expect(isValidHandle(h)).toBe(true));
  it.each(['ab', 'a'.repeat(31), 'has space', 'ümlaut', 'dot.ted', ''])('refuses %p', (h) => expect(isValidHandle(h)).toBe(false));
  it('never takes an id for a handle', () => {
    const id = newId('chn');
    expect(looksLikeChannelId(id)).toBe(true);
    expect(isValidHandle(id)).toBe(false);
  });
});
