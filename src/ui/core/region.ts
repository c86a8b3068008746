// A place in the page that shows one view at a time; showing a view destroys the one it
// replaces (Marionette's region.show), so swapping views can never leave a zombie behind.
import type { BaseView } from './base-view.ts';

export class Region {
  private current: BaseView<any> | null = null;

  constructor(readonly el: HTMLElement) {}

  show(view: BaseView<any>): void {
    this.empty();
    this.current = view;
    this.el.appendChild(view.el);
    view.render();
  }

  empty(): void {
    const v = this.current;
    this.current = null;
    v?.destroy();
  }

  get view(): BaseView<any> | null {
    return this.current;
  }
}
