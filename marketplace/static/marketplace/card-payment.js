/* Stripe's Payment Element on the checkout page (js.stripe.com is allowed by the CSP). */
(function () {
    "use strict";
    var form = document.getElementById("card-form");
    if (!form) { return; }
    var error = document.getElementById("card-error");
    if (!window.Stripe) { error.textContent = form.dataset.unavailable; return; }
    var stripe = window.Stripe(form.dataset.key, {locale: "id"});
    var elements = stripe.elements({clientSecret: form.dataset.secret});
    elements.create("payment").mount("#payment-element");
    form.addEventListener("submit", function (event) {
        event.preventDefault();
        stripe.confirmPayment({elements: elements, confirmParams: {return_url: form.dataset.return}}).then(function (result) {
            if (result.error) { error.textContent = result.error.message; }
        });
    });
})();
