/* The page /news/phone: asks the browser for push messages and hands the address and keys
   to Tafel through the page's own form. Without JavaScript the page says it is needed. */
"use strict";

(function () {
  var form = document.getElementById("push-form");
  if (!form) {
    return;
  }
  var supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  var needsScript = document.getElementById("push-needs-script");
  var unsupported = document.getElementById("push-unsupported");
  if (needsScript) {
    needsScript.hidden = true;
  }
  if (!supported) {
    if (unsupported) {
      unsupported.hidden = false;
    }
    return;
  }
  var button = form.querySelector("button[type=submit]");
  button.hidden = false;

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  form.addEventListener("submit", function (event) {
    if (form.elements.endpoint.value) {
      return; /* filled in: send it */
    }
    event.preventDefault();
    button.disabled = true;
    Notification.requestPermission()
      .then(function (answer) {
        if (answer !== "granted") {
          throw new Error("not allowed");
        }
        return navigator.serviceWorker.register("/push-worker.js", { scope: "/" });
      })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(form.dataset.key)
        });
      })
      .then(function (subscription) {
        var data = subscription.toJSON();
        form.elements.endpoint.value = data.endpoint;
        form.elements.p256dh.value = data.keys.p256dh;
        form.elements.auth.value = data.keys.auth;
        form.submit();
      })
      .catch(function () {
        button.disabled = false;
        var refused = document.getElementById("push-refused");
        if (refused) {
          refused.hidden = false;
        }
      });
  });
})();
