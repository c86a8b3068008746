// The one import point for Backbone and its DOM library. Backbone's UMD wrapper looks for jQuery
// on its own, which under a bundler may find nothing or a second copy; pinning it here means every
// view in every app uses the same `$` and event delegation works.
//
// jQuery 4 throws at import time without a window, so it is built from its factory only where a
// document exists: unit tests of models run in plain Node and never touch `$`.
import Backbone from 'backbone';
import { jQueryFactory } from 'jquery/factory';
import _ from 'underscore';

const $: JQueryStatic =
  typeof window !== 'undefined' && typeof window.document !== 'undefined'
    ? jQueryFactory(window)
    : (undefined as unknown as JQueryStatic);

Backbone.$ = $;

export { Backbone, $, _ };
