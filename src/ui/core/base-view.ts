// The base every view extends: renders coalesced to one per animation frame, children owned and
// destroyed with their parent, and a destroy() that is safe to call twice.
//
// ES-class pitfall (STYLE.md): Backbone's constructor runs preinitialize/initialize before a
// subclass's field initialisers, so a field with an initialiser would wipe what initialize() set.
// All instance state here is `declare`d and assigned in preinitialize().
import { Backbone } from '../lib/backbone.ts';

const raf: (cb: () => void) => number =
  typeof requestAnimationFrame === 'function'
    ? (cb) => requestAnimationFrame(cb)
    : (cb) => setTimeout(cb, 16) as unknown as number;
const caf: (id: number) => void =
  typeof cancelAnimationFrame === 'function' ? (id) => cancelAnimationFrame(id) : (id) => clearTimeout(id);

export class BaseView<M extends Backbone.Model = Backbone.Model> extends Backbone.View<M> {
  declare private renderHandle: number;
  declare private destroyedFlag: boolean;
  declare private children: BaseView<any>[];

  override preinitialize(options?: Backbone.ViewOptions<M>): void {
    this.renderHandle = 0;
    this.destroyedFlag = false;
    this.children = [];
    super.preinitialize?.(options);
  }

  get isDestroyed(): boolean {
    return this.destroyedFlag;
  }

  /** Ask for a render on the next animation frame; many changes in one frame render once. */
  scheduleRender(): void {
    if (this.destroyedFlag || this.renderHandle) return;
    this.renderHandle = raf(() => {
      this.renderHandle = 0;
      if (!this.destroyedFlag) this.render();
    });
  }

  /** Render now if a render is pending (tests and parents that need the DOM this frame). */
  flushRender(): void {
    if (!this.renderHandle) return;
    caf(this.renderHandle);
    this.renderHandle = 0;
    if (!this.destroyedFlag) this.render();
  }

  /** Take ownership of a child view: it is destroyed with this one. */
  addChild<V extends BaseView<any>>(child: V): V {
    this.children.push(child);
    return child;
  }

  /** Destroy one child now (e.g. a filter row that was removed). */
  removeChild(child: BaseView<any>): void {
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    child.destroy();
  }

  /** Subclasses free what they own beyond views and listeners (charts, timers, fetches). */
  protected onDestroy(): void {}

  destroy(): void {
    if (this.destroyedFlag) return;
    this.destroyedFlag = true;
    if (this.renderHandle) caf(this.renderHandle);
    this.renderHandle = 0;
    const children = this.children.splice(0);
    for (const c of children) c.destroy();
    this.onDestroy();
    // remove() = stopListening() + element removal (jQuery also drops delegated handlers).
    this.remove();
  }
}
