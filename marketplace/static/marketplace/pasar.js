/* What Oscar's templates did with inline handlers, done here: the Content-Security-Policy
   allows no inline script or on*= attribute, only files from this site and nonce'd blocks. */
(function () {
    "use strict";
    document.addEventListener("click", function (event) {
        var target = event.target.closest ? event.target.closest("[data-history-back], [data-print], [data-close-window]") : null;
        if (!target) { return; }
        event.preventDefault();
        if (target.hasAttribute("data-history-back")) { window.history.go(-1); }
        else if (target.hasAttribute("data-print")) { window.print(); }
        else { window.close(); }
    });
    function wireUploadPreviews() {
        /* Oscar's dashboard image widget: hide the upload button once a chosen picture shows. */
        Array.prototype.forEach.call(document.querySelectorAll("img[data-upload-button]"), function (img) {
            var button = document.getElementById(img.dataset.uploadButton);
            img.addEventListener("load", function () { if (button) { button.style.display = "none"; } });
            img.addEventListener("error", function () {
                if (!img.getAttribute("src")) { return; }
                if (button) { button.style.display = ""; }
                window.alert(img.dataset.errorMessage);
            });
        });
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wireUploadPreviews); }
    else { wireUploadPreviews(); }
})();

/* The one menu (oscar/layout.html) and the search filters are <details> that a phone opens by hand; on a wide screen they are shown. */
(function () {
    "use strict";
    function openWideMenus() {
        if (!window.matchMedia || !window.matchMedia("(min-width: 768px)").matches) { return; }
        Array.prototype.forEach.call(document.querySelectorAll("details[data-open-wide]"), function (menu) {
            menu.open = true;
        });
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", openWideMenus); }
    else { openWideMenus(); }
})();

/* The manager's product list (issue 11, part E1): a row's quick edit or publish button saves
   without leaving the page; the row and the message come from the page the server answers.
   Without JavaScript the same forms post and the list comes back at the row. */
(function () {
    "use strict";
    if (!window.fetch || !window.DOMParser || !window.FormData) { return; }
    document.addEventListener("submit", function (event) {
        var form = event.target;
        var row = form.closest ? form.closest(".manager-product[id]") : null;
        if (!row) { return; }
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        if (button) { button.disabled = true; }
        fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"})
            .then(function (response) { return response.text(); })
            .then(function (html) {
                var page = new DOMParser().parseFromString(html, "text/html");
                var fresh = page.getElementById(row.id);
                if (!fresh) { window.location.reload(); return; }
                row.replaceWith(document.importNode(fresh, true));
                var messages = document.getElementById("messages");
                var freshMessages = page.getElementById("messages");
                if (messages && freshMessages) { messages.replaceWith(document.importNode(freshMessages, true)); }
            })
            .catch(function () { if (button) { button.disabled = false; } form.submit(); });
    });
})();

/* Packing slips (orders, issue 11): the print button is hidden until script can press it; without
   JavaScript the slip is still read and printed from the browser's own menu. */
(function () {
    "use strict";
    function showPrintButtons() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-print][hidden]"), function (button) {
            button.hidden = false;
        });
    }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", showPrintButtons); }
    else { showPrintButtons(); }
})();

/* Search suggestions (search, issue 12): every search box with data-suggest gets a list of product
   names as the buyer types, from /toko/search/saran/?q= (search.views.suggestions). It is an ARIA
   combobox: arrows move through the names, Enter or a tap searches for one, Escape closes it.
   Without JavaScript the box is a plain form and nothing is lost. */
(function () {
    "use strict";
    if (!window.fetch || !window.JSON || !document.querySelectorAll) { return; }
    var MIN_LETTERS = 2, WAIT_MS = 150, boxes = 0;

    function wire(form) {
        var input = form.querySelector("input[name=q]");
        if (!input) { return; }
        boxes += 1;
        var list = document.createElement("ul"), status = document.createElement("span");
        var cache = {}, timer = null, active = -1;
        list.id = "search-suggestions-" + boxes;
        list.className = "search-suggestions";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", "Saran pencarian");
        list.hidden = true;
        status.className = "sr-only";
        status.setAttribute("role", "status");
        form.classList.add("has-suggestions");
        form.appendChild(list);
        form.appendChild(status);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", list.id);

        function close() {
            list.hidden = true;
            active = -1;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
        }
        function highlight(index) {
            Array.prototype.forEach.call(list.children, function (item, i) {
                item.setAttribute("aria-selected", i === index ? "true" : "false");
            });
            active = index;
            if (index >= 0) { input.setAttribute("aria-activedescendant", list.children[index].id); }
        }
        function show(names) {
            list.textContent = "";
            names.forEach(function (name, i) {
                var item = document.createElement("li");
                item.id = list.id + "-" + i;
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                item.textContent = name;
                list.appendChild(item);
            });
            status.textContent = names.length ? names.length + " saran tersedia" : "";
            if (!names.length) { close(); return; }
            list.hidden = false;
            active = -1;
            input.setAttribute("aria-expanded", "true");
        }
        function pick(item) {
            input.value = item.textContent;
            close();
            form.submit();
        }
        function ask(text) {
            if (cache[text]) { show(cache[text]); return; }
            fetch(form.getAttribute("data-suggest") + "?q=" + encodeURIComponent(text),
                  {headers: {"Accept": "application/json"}, credentials: "same-origin"})
                .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
                .then(function (data) {
                    cache[text] = data.suggestions || [];
                    if (input.value.trim() === text && document.activeElement === input) { show(cache[text]); }
                })
                .catch(close);
        }
        input.addEventListener("input", function () {
            var text = input.value.trim();
            window.clearTimeout(timer);
            if (text.length < MIN_LETTERS) { close(); return; }
            timer = window.setTimeout(function () { ask(text); }, WAIT_MS);
        });
        input.addEventListener("keydown", function (event) {
            var count = list.children.length;
            if (list.hidden && count && event.key === "ArrowDown") {  /* closed with Escape: open again */
                event.preventDefault();
                list.hidden = false;
                input.setAttribute("aria-expanded", "true");
                highlight(0);
                return;
            }
            if (list.hidden || !count) { return; }
            if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % count); }
            else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + count) % count); }
            else if (event.key === "Enter" && active >= 0) { event.preventDefault(); pick(list.children[active]); }
            else if (event.key === "Escape") { event.preventDefault(); close(); }
        });
        input.addEventListener("blur", function () { window.setTimeout(close, 150); });
        list.addEventListener("mousedown", function (event) { event.preventDefault(); });  /* keep the focus in the box */
        list.addEventListener("click", function (event) {
            var item = event.target.closest ? event.target.closest("[role=option]") : null;
            if (item) { pick(item); }
        });
    }
    function wireAll() { Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest]"), wire); }
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wireAll); }
    else { wireAll(); }
})();
