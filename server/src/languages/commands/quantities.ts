// Amounts as orchestrators write them: Kubernetes CPU and memory quantities (`500m`, `2`, `512Mi`, `1G`), Fly memory
// sizes (`1gb`, `512mb`) and Go-style durations (`5s`, `1m30s`). Undefined for anything that is not one.

const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

// A Kubernetes quantity: a signed decimal number (exponent allowed) and an optional suffix.
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/;

/** A Kubernetes quantity in its base unit (bytes, CPUs); `m` is thousandths. Numbers from YAML are taken as they are. */
export function kubernetesQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  let amount = Number(m[1]);
  if (m[2]) amount *= 10 ** Number(m[2].slice(1));
  const suffix = m[3];
  if (suffix === 'm') amount /= 1000;
  else if (suffix) amount *= BINARY[suffix] ?? DECIMAL[suffix] ?? NaN;
  return Number.isFinite(amount) && amount >= 0 ? amount : undefined;
}

const FLY_MEMORY = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|k|m|g|t|kib|mib|gib|tib)?$/i;
const FLY_UNITS: Record<string, number> = {
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  kib: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  mib: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  gib: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
  tib: 2 ** 40,
};

/**
 * A Fly `[[vm]] memory` size in bytes: a number alone counts megabytes (`memory = 512`), a unit is binary
 * (`1gb` = 1024 MB, as Fly sizes its Machines).
 */
export function flyMemory(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 2 ** 20 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = FLY_MEMORY.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2] ? FLY_UNITS[m[2].toLowerCase()] : 2 ** 20;
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
const DURATION_UNIT: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };

/** Seconds of a duration: a number of seconds, or Go syntax (`5s`, `1m30s`, `250ms`). */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
  if (!text) return undefined;
  let seconds = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    seconds += Number(m[1]) * DURATION_UNIT[m[2]!]!;
  }
  return seconds;
}
