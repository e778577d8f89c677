/* Official area codes, level by level: no map service, no network beyond this site.
   The page already lists each level chosen so far (the server renders it, so the form
   works without this script); here a change fills the next list at once, and choosing
   the village reloads the form so that each shop's shipping to it is priced.
   Names go in as text (Option), never as HTML. */
(function () {
    "use strict";
    var picker = document.querySelector(".area-picker");
    if (!picker) { return; }
    var url = picker.dataset.url;
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select"));
    var refresh = picker.querySelector(".area-refresh");
    var hint = picker.querySelector(".area-hint");
    if (hint) { hint.hidden = true; }
    if (refresh) { refresh.hidden = true; }
    function clear(select) {
        select.options.length = 0;
        select.add(new Option("\u2014", ""));
    }
    function fill(select, code) {
        fetch(url + "?kode=" + encodeURIComponent(code)).then(function (r) { return r.json(); }).then(function (data) {
            clear(select);
            data.areas.forEach(function (a) { select.add(new Option(a.name, a.code)); });
        });
    }
    selects.forEach(function (select, i) {
        select.addEventListener("change", function () {
            if (i === selects.length - 1) {
                if (select.value && refresh) {
                    if (refresh.form.requestSubmit) { refresh.form.requestSubmit(refresh); } else { refresh.click(); }
                }
                return;
            }
            selects.slice(i + 1).forEach(clear);
            if (select.value) { fill(selects[i + 1], select.value); }
        });
    });
})();
