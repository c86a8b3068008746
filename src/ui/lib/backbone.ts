// The one import point for Backbone and its DOM library: every view in every app uses the same
// Backbone, underscore and `$`.
//
// Backbone's UMD wrapper already does `require('jquery')`, which the bundler resolves to the one
// jQuery module in the build; importing jQuery again here (or through jQuery 4's factory entry)
// bundled a second 85 KB copy. So `$` is taken from Backbone and pinned back explicitly. In plain
// Node (unit tests of models) jQuery cannot load without a window and `$` stays undefined; models
// never touch it.
import Backbone from 'backbone';
import _ from 'underscore';

const $ = Backbone.$ as JQueryStatic;
if (typeof document !== 'undefined' && typeof $ !== 'function') {
  throw new Error('Segscope UI: jQuery did not load; Backbone views need it');
}
Backbone.$ = $;

export { Backbone, $, _ };
