import { compileGlob, compileGlobList, foldCase } from '../../functions/detector/glob';
import { compileKeyPatterns } from '../../functions/detector/patterns';

/* Glob lists and case folding: what a key pattern list matches, anchored or as a keyword. */

describe('case folding', () => {
  it('lower-cases ASCII, returns lower-case text as it is, and folds other text unit by unit', () => {
    expect(foldCase('customers/Ab.CSV')).toBe('customers/ab.csv');
    expect(foldCase('already-lower')).toBe('already-lower');
    expect(foldCase('@[`{')).toBe('@[`{');
    expect(foldCase('ZÉ')).toBe('zé');
    expect(foldCase('zé')).toBe('zé');
    expect(foldCase('Aİb')).toBe('aİb');
  });
});

describe('glob lists', () => {
  it('are undefined without globs', () => {
    expect(compileGlobList([])).toBeUndefined();
    expect(compileGlobList([], [])).toBeUndefined();
  });

  it('match one glob on the whole text, case-insensitively', () => {
    const only = compileGlobList(['Customers/*.CSV'])!;
    expect(only('customers/a.csv')).toBe(true);
    expect(only('CUSTOMERS/A.csv')).toBe(true);
    expect(only('x/customers/a.csv')).toBe(false);
  });

  it('match one unanchored glob anywhere in the text', () => {
    const only = compileGlobList([], ['SSN'])!;
    expect(only('a/ssn/b')).toBe(true);
    expect(only('SSN')).toBe(true);
    expect(only('a/sn/b')).toBe(false);
  });

  it('match any of several globs, anchored and unanchored', () => {
    const list = compileGlobList(['reports/*', '*.csv'], ['secret'])!;
    expect(list('Reports/q1')).toBe(true);
    expect(list('x/Y.CSV')).toBe(true);
    expect(list('x/Top-SECRET/y')).toBe(true);
    expect(list('x/y.json')).toBe(false);
  });

  it('take "?" in a middle segment as any one character, at its leftmost fitting place', () => {
    const glob = compileGlob('a*b?d*e');
    expect(glob('a-bxd-e')).toBe(true);
    expect(glob('a-bd-e')).toBe(false);
    expect(glob('abxbyd-e')).toBe(true);
    expect(glob('a-bxde')).toBe(true);
    expect(glob('a-bx')).toBe(false);
    const middle = compileGlob('*??x*');
    expect(middle('abx')).toBe(true);
    expect(middle('ax')).toBe(false);
  });

  it('never let a middle segment overlap the last one', () => {
    expect(compileGlob('a*bc*cd')('abcd')).toBe(false);
    expect(compileGlob('a*b?*?d')('abxd')).toBe(false);
    expect(compileGlob('a*bc*cd')('abccd')).toBe(true);
    expect(compileGlob('*ab*b')('ab')).toBe(false);
  });

  it('match an exact glob by length and characters', () => {
    expect(compileGlob('a?c')('abc')).toBe(true);
    expect(compileGlob('a?c')('abcd')).toBe(false);
    expect(compileGlob('a?c')('ab')).toBe(false);
    expect(compileGlob('', false)('anything')).toBe(true);
    expect(compileGlob('')('')).toBe(true);
    expect(compileGlob('')('x')).toBe(false);
  });
});

describe('key pattern lists', () => {
  it('split globs from keywords and match neither when empty', () => {
    expect(compileKeyPatterns([])('anything')).toBe(false);
    const patterns = compileKeyPatterns(['exports/*.csv', 'keyword:passport']);
    expect(patterns('exports/a.csv')).toBe(true);
    expect(patterns('scans/PASSPORT-1.png')).toBe(true);
    expect(patterns('keyword:passport')).toBe(true);
    expect(patterns('exports/a.json')).toBe(false);
    // "keyword:" is a prefix only at the start of a pattern: elsewhere it is literal text of a glob.
    expect(compileKeyPatterns(['x-keyword:a'])('x-keyword:a')).toBe(true);
    expect(compileKeyPatterns(['x-keyword:a'])('b/a/c')).toBe(false);
  });
});
