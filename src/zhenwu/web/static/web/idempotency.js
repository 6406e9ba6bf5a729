// Each form with a hidden idempotency_key gets a key made here at page load: a second tap or a retry of
// the same submission sends the same key, so the server saves it once. A page restored from the
// history (the back button) is a new submission and gets a new key. Without JavaScript, or without
// crypto.randomUUID (plain http), the server-made key in the field is used.
(function () {
  "use strict";
  function renew() {
    if (!(window.crypto && typeof window.crypto.randomUUID === "function")) return;
    document.querySelectorAll("input[data-idempotency-key]").forEach(function (input) {
      input.value = window.crypto.randomUUID();
    });
  }
  renew();
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) renew();
  });
})();
