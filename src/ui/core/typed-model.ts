// Backbone's typings make every get() possibly undefined and demand every attribute at
// construction. Our models always have their defaults, so get() is narrowed to the attribute's
// type (defaults() must fill every key) and the constructor takes a partial.
import { Backbone } from '../lib/backbone.ts';

export class TypedModel<T extends Backbone.ObjectHash> extends Backbone.Model<T> {
  constructor(attributes?: Partial<T>, options?: Backbone.CombinedModelConstructorOptions<unknown>) {
    super(attributes as T, options);
  }

  override get<A extends keyof T & string>(key: A): T[A] {
    return super.get(key) as T[A];
  }
}
