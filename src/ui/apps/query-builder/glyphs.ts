// Small type marks shown beside property names (the picker says each property's type).
import type { FilterType } from '../../../report/filters.ts';

export const TYPE_GLYPH: Record<FilterType | 'object', string> = {
  string: 'Aa',
  number: '#',
  boolean: '◑',
  datetime: '◷',
  list: '[ ]',
  object: '{ }',
};

export const TYPE_NAME: Record<FilterType | 'object', string> = {
  string: 'text',
  number: 'number',
  boolean: 'true/false',
  datetime: 'date',
  list: 'list',
  object: 'object',
};
