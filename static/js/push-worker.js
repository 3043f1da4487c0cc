/* Tafel's service worker: shows the one push message ("Er is nieuws voor je in Tafel") and
   opens the news page when it is tapped. It reads nothing else and keeps nothing. */
"use strict";

self.addEventListener("push", function (event) {
  var message = { title: "Tafel", body: "Er is nieuws voor je in Tafel", url: "/news" };
  try {
    if (event.data) {
      message = Object.assign(message, event.data.json());
    }
  } catch (error) {
    /* not JSON: the default sentence */
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: "/static/icons/tafel-192.png",
      badge: "/static/icons/tafel-192.png",
      tag: "tafel-news",
      data: { url: message.url }
    })
  );
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/news";
  event.waitUntil(self.clients.openWindow(url));
});
