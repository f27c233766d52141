import { foldCase } from '../../functions/detector/glob';
import { compileKeyPatterns } from '../../functions/detector/patterns';

/* Case folding of text with no ASCII at all: a key pattern must not miss a key for the case of its letters. */

describe('case folding without ASCII', () => {
  it('lower-cases text made only of other letters', () => {
    expect(foldCase('ÉÈ')).toBe('éè');
    expect(compileKeyPatterns(['keyword:é'])('É')).toBe(true);
  });
});
