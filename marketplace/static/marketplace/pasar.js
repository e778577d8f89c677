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
