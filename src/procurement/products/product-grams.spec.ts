import { indexGrams, queryGrams } from '#src/procurement/products/product-grams.js';

describe('catalogue search grams (JL-16)', () => {
  it('indexes the characters and bigrams of each field, never across fields, ignoring case and spaces', () => {
    expect(indexGrams(['阿莫 西林', 'AB'])).toEqual(['阿', '阿莫', '莫', '莫西', '西', '西林', '林', 'a', 'ab', 'b']);
  });

  it('asks for the bigrams of a term, or its one character', () => {
    expect(queryGrams('西林')).toEqual(['西林']);
    expect(queryGrams('林')).toEqual(['林']);
    expect(queryGrams('阿莫西林')).toEqual(['阿莫', '莫西', '西林']);
    expect(queryGrams('   ')).toEqual([]);
  });

  it('leaves out the 国药准字 prefix every approval number shares, when digits follow', () => {
    expect(queryGrams('国药准字H20003263')).toEqual(['20', '00', '03', '32', '26', '63']);
    expect(queryGrams('国药准字Z')).toEqual(['国药', '药准', '准字', '字z']);
  });
});
