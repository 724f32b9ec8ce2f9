/* global document */
// The hand-off page (hall → procurement, N-5): submits the one-time ticket's form at once, so the
// person goes straight on. Without this file the form's button does the same.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
})();
