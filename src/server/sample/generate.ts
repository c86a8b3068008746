// Deterministic sample events with the texture of a real product (see vocabulary.ts):
// - users with a power-law activity (a few heavy users, a long tail), 40% already signed up when
//   the window opens and the rest signing up at an increasing rate, so activity grows;
// - sessions with funnels: Page View → Sign Up (once) → Add to Cart → Checkout → Purchase, plus
//   Login, Search, Share and Error;
// - weekly seasonality (weekday peaks, weekend dips), a diurnal pattern in each city's local time;
// - every JSON type: strings, numbers, booleans, an ISO datetime string, lists, a nested object,
//   keys that are sometimes missing, properties of mixed types (plan_level, error_code, coupon
//   sometimes null), unicode (São Paulo, Zürich, 東京, emoji) and hostile-looking strings.
// Events come out day by day in time order; only one day is held in memory at a time.

import type { StoredEvent } from '../store/types.ts';
import { Random, WeightedChoice, searchCumulative } from './random.ts';
import {
  BROWSERS,
  CITIES,
  COUPONS,
  ERRORS,
  HOUR_FACTOR,
  OPERATING_SYSTEMS,
  PAGES,
  PRODUCTS,
  SEARCH_TERMS,
  SHARE_CHANNELS,
  SIGNUP_METHODS,
  TAGS,
  UTM_SOURCES,
  WEEKDAY_FACTOR,
} from './vocabulary.ts';

export type SampleOptions = {
  seed?: number;
  /** Exactly this many events (default 1,000,000). */
  events?: number;
  /** Number of users (default 20,000, or fewer for small samples). */
  users?: number;
  /** Days in the window (default 90). */
  days?: number;
  /** The window's last day (UTC; default today). Events fill whole days up to its end. */
  endDate?: Date | string | number;
};

export const DEFAULT_SAMPLE = { seed: 1, events: 1_000_000, users: 20_000, days: 90 } as const;

const DAY_MS = 86_400_000;

type User = {
  id: string;
  browser: string;
  os: string;
  city: string;
  country: string;
  utcOffset: number;
  zip: string;
  utmSource: string | undefined;
  plan: string;
  planLevel: number | string | undefined;
  /** Day index (0 = first day of the window) from which the user is active; < 0: before the window. */
  signupDay: number;
  signupTime: number | undefined;
  /** signupTime as an ISO string (made once). */
  signupDate: string | undefined;
  purchases: number;
};

type Cart = { items: string[]; price: number; quantity: number };

/** The sample window [start, end) in ms for these options. */
export function sampleWindow(options: SampleOptions = {}): { start: number; end: number; days: number } {
  const days = Math.max(1, Math.floor(options.days ?? DEFAULT_SAMPLE.days));
  const endDate = options.endDate === undefined ? new Date() : new Date(options.endDate);
  if (Number.isNaN(endDate.getTime())) throw new RangeError(`endDate ${String(options.endDate)} is not a date`);
  const end = Math.floor(endDate.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  return { start: end - days * DAY_MS, end, days };
}

/** The sample events, in time order, deterministic for the same options (endDate included). */
export function* generateSampleEvents(options: SampleOptions = {}): Generator<StoredEvent> {
  const total = Math.max(0, Math.floor(options.events ?? DEFAULT_SAMPLE.events));
  const { start, end, days } = sampleWindow(options);
  const random = new Random(options.seed ?? DEFAULT_SAMPLE.seed);
  const userCount = Math.max(1, Math.floor(options.users ?? Math.min(DEFAULT_SAMPLE.users, Math.ceil(total / 20) || 1)));
  const users = makeUsers(random, userCount, days, start);
  // Users sorted by signup day: those active on day d are a prefix, picked by cumulative weight.
  const cumulative = new Float64Array(users.length);
  let sum = 0;
  users.forEach(({ weight }, i) => (cumulative[i] = sum += weight));
  const activeUntil: number[] = [];
  let active = 0;
  for (let day = 0; day < days; day++) {
    while (active < users.length && users[active]!.user.signupDay <= day) active++;
    activeUntil.push(Math.max(active, 1));
  }
  const targets = dailyTargets(random, total, days, start, (day) => cumulative[activeUntil[day]! - 1]!);
  const session = new SessionWriter(random, end);
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY_MS;
    const out: StoredEvent[] = [];
    while (out.length < targets[day]!) {
      const pick = searchCumulative(cumulative, random.next() * cumulative[activeUntil[day]! - 1]!, activeUntil[day]!);
      session.write(users[pick]!.user, dayStart, out, targets[day]!);
    }
    out.sort((a, b) => a.time - b.time);
    yield* out;
  }
}

/** The events in arrays of `size` (the last one shorter). */
export function* sampleBatches(options: SampleOptions = {}, size = 50_000): Generator<StoredEvent[]> {
  let batch: StoredEvent[] = [];
  for (const event of generateSampleEvents(options)) {
    batch.push(event);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function makeUsers(random: Random, count: number, days: number, start: number): { user: User; weight: number }[] {
  const browsers = new WeightedChoice(BROWSERS);
  const systems = new Map(Object.entries(OPERATING_SYSTEMS).map(([browser, list]) => [browser, new WeightedChoice(list)]));
  const cities = new WeightedChoice(CITIES.map((city) => [city, city[4]] as const));
  const sources = new WeightedChoice(UTM_SOURCES);
  const users: { user: User; weight: number }[] = [];
  for (let i = 0; i < count; i++) {
    const browser = browsers.pick(random);
    const [city, country, utcOffset, zip] = cities.pick(random);
    const existing = random.chance(0.4);
    // New users arrive at an increasing rate (density ∝ day^0.4): the product grows.
    const signupDay = existing ? -1 - random.int(0, 364) : Math.min(days - 1, Math.floor(days * random.next() ** (1 / 1.4)));
    const user: User = {
      id: `${random.hex8()}-${i.toString(36).padStart(4, '0')}`,
      browser,
      os: systems.get(browser)!.pick(random),
      city,
      country,
      utcOffset,
      zip,
      utmSource: random.chance(0.62) ? sources.pick(random) : undefined,
      plan: 'free',
      // A number for most users, a name for some (a property with mixed types), missing for a few.
      planLevel: random.chance(0.1) ? undefined : random.chance(0.75) ? random.int(1, 3) : random.pick(['gold', 'silver', 'bronze']),
      signupDay,
      signupTime: existing ? start + signupDay * DAY_MS + random.int(0, DAY_MS - 1) : undefined,
      signupDate: undefined,
      purchases: 0,
    };
    if (user.signupTime !== undefined) user.signupDate = iso(user.signupTime);
    if (existing && random.chance(0.2)) user.plan = random.chance(0.8) ? 'pro' : 'enterprise';
    users.push({ user, weight: Math.min(random.pareto(1.3), 200) });
  }
  users.sort((a, b) => a.user.signupDay - b.user.signupDay);
  return users;
}

/** Events per day: ∝ weekday factor × weight of the users active that day, with a little noise. */
function dailyTargets(random: Random, total: number, days: number, start: number, activeWeight: (day: number) => number): number[] {
  const weights: number[] = [];
  for (let day = 0; day < days; day++) {
    const weekday = new Date(start + day * DAY_MS).getUTCDay();
    const noise = Math.min(1.25, Math.max(0.75, 1 + 0.06 * random.normal()));
    weights.push(WEEKDAY_FACTOR[weekday]! * activeWeight(day) * noise);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  const targets: number[] = [];
  let assigned = 0;
  let cumulative = 0;
  for (const weight of weights) {
    cumulative += weight;
    const upTo = Math.round((cumulative / sum) * total);
    targets.push(upTo - assigned);
    assigned = upTo;
  }
  return targets;
}

class SessionWriter {
  readonly #random: Random;
  readonly #end: number;
  readonly #hours = new WeightedChoice(HOUR_FACTOR.map((factor, hour) => [hour, factor] as const));
  readonly #pages = new WeightedChoice(PAGES);
  readonly #products = new WeightedChoice(PRODUCTS.map((product) => [product, product[2]] as const));
  readonly #terms = new WeightedChoice(SEARCH_TERMS);
  readonly #methods = new WeightedChoice(SIGNUP_METHODS);
  readonly #channels = new WeightedChoice(SHARE_CHANNELS);
  readonly #errors = new WeightedChoice(ERRORS.map((error) => [error, error[2]] as const));
  #count = 0;

  constructor(random: Random, end: number) {
    this.#random = random;
    this.#end = end;
  }

  /** One session of `user` on the day starting at dayStart, appended to `out` (up to `limit`). */
  write(user: User, dayStart: number, out: StoredEvent[], limit: number): void {
    const r = this.#random;
    // A local hour by the diurnal curve, placed in the UTC day.
    const localHour = this.#hours.pick(r);
    const utcHour = (((localHour - user.utcOffset) % 24) + 24) % 24;
    let time = dayStart + Math.floor(utcHour * 3_600_000) + r.int(0, 3_599_999);
    const emit = (event: string, properties: Record<string, unknown>) => {
      if (out.length >= limit) return;
      out.push(this.#event(user, event, Math.min(time, this.#end - 1), properties));
      time += r.int(4_000, 150_000);
    };
    const views = 1 + Math.min(r.geometric(0.45), 9);
    const newUser = user.signupTime === undefined;
    if (!newUser && r.chance(0.45)) emit('Login', { signup_date: user.signupDate });
    for (let i = 0; i < views; i++) emit('Page View', this.#pageView());
    if (newUser) {
      user.signupTime = time;
      user.signupDate = iso(time);
      emit('Sign Up', { signup_method: this.#methods.pick(r), signup_date: user.signupDate });
    }
    if (r.chance(0.35)) {
      for (let i = 1 + Math.min(r.geometric(0.6), 3); i > 0; i--) {
        const term = this.#terms.pick(r);
        emit('Search', { search_term: term, results_count: term === '' ? 0 : r.int(0, 120) });
      }
    }
    if (r.chance(0.3)) this.#shop(user, emit);
    if (r.chance(0.08)) emit('Share', { channel: this.#channels.pick(r), tags: this.#tags() });
    if (r.chance(0.04)) {
      const [code, message] = this.#errors.pick(r);
      emit('Error', { error_code: code, error_message: message, $os: user.os });
    }
  }

  #shop(user: User, emit: (event: string, properties: Record<string, unknown>) => void): void {
    const r = this.#random;
    const cart: Cart = { items: [], price: 0, quantity: 0 };
    for (let i = 1 + Math.min(r.geometric(0.55), 4); i > 0; i--) {
      const [item, price] = this.#products.pick(r);
      const quantity = r.chance(0.8) ? 1 : r.int(2, 4);
      cart.items.push(item);
      cart.price = cents(cart.price + price * quantity);
      cart.quantity += quantity;
      emit('Add to Cart', { item, price, quantity, tags: this.#tags() });
    }
    if (!r.chance(0.55)) return;
    const checkout: Record<string, unknown> = { items: cart.items, price: cart.price, quantity: cart.quantity };
    const coupon = this.#coupon();
    if (coupon !== undefined) checkout.coupon = coupon;
    emit('Checkout', checkout);
    if (!r.chance(0.7)) return;
    user.purchases++;
    if (user.plan === 'free' && r.chance(0.15)) user.plan = r.chance(0.85) ? 'pro' : 'enterprise';
    const purchase: Record<string, unknown> = {
      ...checkout,
      is_first_purchase: user.purchases === 1,
      address: { city: user.city, zip: user.zip },
      signup_date: user.signupDate,
    };
    if (r.chance(0.3)) purchase.tags = this.#tags();
    emit('Purchase', purchase);
  }

  #pageView(): Record<string, unknown> {
    const r = this.#random;
    // Load times are log-normal around 300 ms with a long tail.
    return { page: this.#pages.pick(r), load_time_ms: Math.round(300 * Math.exp(0.6 * r.normal())) };
  }

  #tags(): string[] {
    const r = this.#random;
    const tags: string[] = [];
    for (let i = r.int(0, 3); i > 0; i--) {
      const tag = r.pick(TAGS);
      if (!tags.includes(tag)) tags.push(tag);
    }
    return tags;
  }

  /** Missing half the time, JSON null sometimes, else a code. */
  #coupon(): string | null | undefined {
    const r = this.#random;
    const u = r.next();
    if (u < 0.5) return undefined;
    if (u < 0.7) return null;
    return r.pick(COUPONS);
  }

  #event(user: User, event: string, time: number, specific: Record<string, unknown>): StoredEvent {
    const r = this.#random;
    const insertId = r.hex8() + (this.#count++).toString(16).padStart(8, '0');
    const properties: Record<string, unknown> = {
      time: Math.floor(time / 1000),
      distinct_id: user.id,
      $insert_id: insertId,
      $browser: user.browser,
      $os: user.os,
      $city: user.city,
      mp_country_code: user.country,
    };
    if (user.utmSource !== undefined) properties.utm_source = user.utmSource;
    properties.plan = user.plan;
    if (user.planLevel !== undefined) properties.plan_level = user.planLevel;
    Object.assign(properties, specific);
    return { event, time, distinct_id: user.id, insert_id: insertId, properties };
  }
}

function cents(value: number): number {
  return Math.round(value * 100) / 100;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
