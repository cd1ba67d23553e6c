/**
 * Kubernetes resource quantities ("500m", "0.5", "2", "1.5Gi", "1e3"), parsed the way the API
 * server reads them, so that rules compare values instead of strings: "1" and "1000m" are the
 * same CPU limit, and "0.5" is below "600m".
 *
 * Grammar (k8s.io/apimachinery resource.Quantity):
 *   <quantity> ::= <signedNumber><suffix>
 *   <suffix>   ::= <binarySI> | <decimalExponent> | <decimalSI>
 *   <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   <decimalSI> ::= n | u | m | "" | k | M | G | T | P | E
 *   <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 */

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const BINARY_SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** The quantity's value in base units (cores, bytes), or undefined when the text is not a quantity. */
export function parseQuantity(text: string | number | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = QUANTITY.exec(String(text).trim());
  if (!match) return undefined;
  const [, number, exponent, suffix] = match;
  const mantissa = Number(number);
  if (exponent) return mantissa * 10 ** Number(exponent.slice(1));
  const scale = suffix === undefined ? 1 : (BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix]);
  return mantissa * scale;
}

/**
 * A CPU quantity in whole millicores. The API server keeps at most three decimal places and
 * rounds finer values up (0.1m becomes 1m), and the kubelet computes the CFS quota from this value.
 */
export function parseCpuMillicores(text: string | number | undefined): number | undefined {
  const cores = parseQuantity(text);
  if (cores === undefined) return undefined;
  // Float noise (0.3 * 1000 = 300.00000000000006) must not round 300m up to 301m.
  return Math.ceil(Number((cores * 1000).toFixed(6)));
}

/** Millicores in the short form people write: 250m, 1, 1500m → "250m", "1", "1500m". */
export function formatMillicores(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Millicores as a number of cores for prose: 250 → "0.25", 2000 → "2". */
export function formatCores(millicores: number): string {
  return String(Number((millicores / 1000).toFixed(3)));
}
