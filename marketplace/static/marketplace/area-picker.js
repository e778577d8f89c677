/* Official area codes, level by level: no map service, no network beyond this site.
   Names go in as text (Option), never as HTML. */
(function () {
    "use strict";
    var picker = document.querySelector(".area-picker");
    if (!picker) { return; }
    var url = picker.dataset.url;
    var selects = Array.prototype.slice.call(picker.querySelectorAll("select"));
    var hidden = document.getElementById("id_village_code");
    function fill(select, code) {
        fetch(url + "?kode=" + encodeURIComponent(code)).then(function (r) { return r.json(); }).then(function (data) {
            select.options.length = 0;
            select.add(new Option("\u2014", ""));
            data.areas.forEach(function (a) { select.add(new Option(a.name, a.code)); });
        });
    }
    selects.forEach(function (select, i) {
        select.addEventListener("change", function () {
            selects.slice(i + 1).forEach(function (s) { s.options.length = 0; });
            hidden.value = i === 3 ? select.value : "";
            if (i < 3 && select.value) { fill(selects[i + 1], select.value); }
        });
    });
    fill(selects[0], "");
})();
