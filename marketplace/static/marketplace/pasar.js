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
