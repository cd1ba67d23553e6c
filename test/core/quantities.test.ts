import assert from 'node:assert/strict';
import { formatCores, formatMillicores, parseCpuMillicores, parseQuantity } from '../../core/quantities';

describe('core/quantities', () => {
  describe('parseQuantity', () => {
    it('reads the decimal suffixes', () => {
      assert.equal(parseQuantity('100m'), 0.1);
      assert.equal(parseQuantity('2k'), 2000);
      assert.equal(parseQuantity('1M'), 1e6);
      assert.equal(parseQuantity('250u'), 0.00025);
    });
    it('reads plain numbers, fractions and numbers the YAML parser already typed', () => {
      assert.equal(parseQuantity('0.5'), 0.5);
      assert.equal(parseQuantity('.5'), 0.5);
      assert.equal(parseQuantity('1.'), 1);
      assert.equal(parseQuantity(2), 2);
      assert.equal(parseQuantity(' 1.5 '), 1.5);
    });
    it('reads binary suffixes as powers of 1024', () => {
      assert.equal(parseQuantity('1Ki'), 1024);
      assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
    });
    it('reads decimal exponents', () => {
      assert.equal(parseQuantity('1e3'), 1000);
      assert.equal(parseQuantity('5E-1'), 0.5);
    });
    it('rejects what the API server rejects', () => {
      for (const bad of ['', 'm', '100 m', '1.5.2', '100mi', '1KI', '1e3m', 'abc', '-']) assert.equal(parseQuantity(bad), undefined, bad);
      assert.equal(parseQuantity(undefined), undefined);
    });
  });

  describe('parseCpuMillicores', () => {
    it('gives the same value for every spelling of a CPU amount', () => {
      for (const [text, expected] of [['100m', 100], ['0.1', 100], ['1', 1000], ['1000m', 1000], ['1.5', 1500], ['2000m', 2000], ['0.3', 300]] as const) {
        assert.equal(parseCpuMillicores(text), expected, text);
      }
      assert.equal(parseCpuMillicores(1), 1000);
    });
    it('rounds finer than a millicore up, as the API server does', () => {
      assert.equal(parseCpuMillicores('0.1m'), 1);
      assert.equal(parseCpuMillicores('0.0005'), 1);
    });
    it('returns undefined for a value that is not a quantity', () => {
      assert.equal(parseCpuMillicores('half'), undefined);
    });
  });

  describe('formatting', () => {
    it('writes whole cores without the m suffix', () => {
      assert.equal(formatMillicores(2000), '2');
      assert.equal(formatMillicores(1500), '1500m');
      assert.equal(formatMillicores(250), '250m');
    });
    it('writes cores for prose', () => {
      assert.equal(formatCores(250), '0.25');
      assert.equal(formatCores(2000), '2');
      assert.equal(formatCores(20), '0.02');
    });
  });
});
