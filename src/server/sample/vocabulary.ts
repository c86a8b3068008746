// The texture of the sample product: who the users are and what they do. Weights are relative.

export const BROWSERS = [
  ['Chrome', 58],
  ['Safari', 21],
  ['Firefox', 9],
  ['Edge', 8],
  ['Opera', 2],
  ['Samsung Internet', 2],
] as const;

export const OPERATING_SYSTEMS: Record<string, readonly (readonly [string, number])[]> = {
  Chrome: [['Windows', 50], ['Mac OS X', 20], ['Android', 22], ['Linux', 6], ['Chrome OS', 2]],
  Safari: [['iOS', 62], ['Mac OS X', 38]],
  Firefox: [['Windows', 55], ['Linux', 25], ['Mac OS X', 20]],
  Edge: [['Windows', 95], ['Mac OS X', 5]],
  Opera: [['Windows', 70], ['Android', 30]],
  'Samsung Internet': [['Android', 100]],
};

/** City, country code, UTC offset in hours (for the diurnal pattern), zip, weight. */
export const CITIES = [
  ['San Francisco', 'US', -8, '94103', 14],
  ['New York', 'US', -5, '10001', 16],
  ['Chicago', 'US', -6, '60601', 6],
  ['Montréal', 'CA', -5, 'H2X 1Y4', 4],
  ['São Paulo', 'BR', -3, '01310-100', 7],
  ['London', 'GB', 0, 'EC1A 1BB', 12],
  ['Paris', 'FR', 1, '75001', 7],
  ['Zürich', 'CH', 1, '8001', 4],
  ['München', 'DE', 1, '80331', 6],
  ['Kraków', 'PL', 1, '30-001', 3],
  ['Reykjavík', 'IS', 0, '101', 1],
  ['Bengaluru', 'IN', 5.5, '560001', 8],
  ['東京', 'JP', 9, '100-0001', 7],
  ['Sydney', 'AU', 10, '2000', 4],
  ['Lagos', 'NG', 1, '100001', 3],
] as const;

export const UTM_SOURCES = [
  ['google', 40],
  ['facebook', 18],
  ['newsletter', 14],
  ['twitter', 9],
  ['linkedin', 7],
  ['producthunt', 4],
  ['bing', 4],
  ['partner:acme', 4],
] as const;

export const PAGES = [
  ['/', 30],
  ['/pricing', 14],
  ['/docs', 16],
  ['/docs/getting-started', 9],
  ['/blog', 8],
  ['/blog/ünïcödé-in-urls', 2],
  ['/products', 12],
  ['/products/hoodie', 5],
  ['/account', 6],
  ['/search?q=café', 2],
] as const;

export const PRODUCTS = [
  ['T-Shirt', 18.0, 22],
  ['Hoodie', 49.0, 12],
  ['Mug', 12.5, 18],
  ['Sticker Pack', 4.99, 20],
  ['Notebook', 9.0, 10],
  ['Café Beans 1kg', 24.9, 8],
  ['Poster «Nord»', 15.0, 5],
  ['Gift Card', 50.0, 5],
] as const;

export const SEARCH_TERMS = [
  ['hoodie', 14],
  ['t-shirt', 12],
  ['mug', 10],
  ['café', 6],
  ['naïve art', 2],
  ['東京 poster', 3],
  ['🎉 party pack', 3],
  ['gift card', 6],
  ['stickers', 8],
  ['O\'Reilly', 1],
  ['"exact phrase"', 1],
  ['<script>alert(1)</script>', 1],
  ['Zürich', 2],
  ['', 1],
] as const;

export const TAGS = ['sale', 'new', 'bestseller', 'eco', 'limited', 'bundle', 'größe-xl', '🔥'] as const;

export const COUPONS = ['SPRING10', 'WELCOME5', 'ÉTÉ-20', 'FRIENDS'] as const;

export const SIGNUP_METHODS = [
  ['email', 55],
  ['google', 30],
  ['github', 15],
] as const;

export const SHARE_CHANNELS = [
  ['twitter', 30],
  ['email', 25],
  ['copy link', 35],
  ['whatsapp', 10],
] as const;

/** Error code (number, or a string for a few client-side errors: a mixed-type property). */
export const ERRORS = [
  [500, 'Internal Server Error', 30],
  [404, 'Not Found', 35],
  [429, 'Too Many Requests', 10],
  ['E_TIMEOUT', 'La requête a expiré', 15],
  ['E_OFFLINE', 'オフラインです', 10],
] as const;

/** Relative activity by UTC weekday (0 = Sunday): weekday peaks, weekend dips. */
export const WEEKDAY_FACTOR = [0.55, 1.05, 1.1, 1.1, 1.05, 0.95, 0.6] as const;

/** Relative activity by local hour: quiet nights, a morning and an evening peak. */
export const HOUR_FACTOR = [
  0.15, 0.08, 0.05, 0.04, 0.05, 0.1, 0.25, 0.5, 0.8, 1.0, 1.1, 1.1, 1.0, 1.0, 1.05, 1.0, 0.95, 0.95, 1.0, 1.1, 1.15, 1.0, 0.7, 0.35,
] as const;
