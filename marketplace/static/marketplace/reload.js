/* The page waiting for Stripe's webhook reloads itself every few seconds. */
(function () {
    "use strict";
    var marker = document.querySelector("[data-reload-after]");
    if (marker) { window.setTimeout(function () { window.location.reload(); }, Number(marker.dataset.reloadAfter)); }
})();
