/* Inside WeChat, with an official account configured: load WeChat's JS-SDK from our own
   origin, configure it with the signature the server computed, and set the share card.
   Nothing here is needed to answer: the page works the same without it. */
(function () {
  "use strict";
  var data = document.getElementById("wx-config");
  if (!data || !/MicroMessenger/i.test(navigator.userAgent)) return;
  var config = JSON.parse(data.textContent);
  // The SDK is a CommonJS build: give it the `module` it exports to.
  window.module = window.module || { exports: {} };
  var script = document.createElement("script");
  script.src = config.sdk;
  script.onload = function () {
    var wx = window.wx || window.jWeixin || window.module.exports;
    if (!wx || !wx.config) return;
    wx.config({
      debug: false, appId: config.appId, timestamp: config.timestamp,
      nonceStr: config.nonceStr, signature: config.signature,
      jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
    });
    wx.ready(function () {
      var card = { title: config.title, desc: config.desc, link: config.link, imgUrl: config.imgUrl };
      wx.updateAppMessageShareData(card);
      wx.updateTimelineShareData(card);
    });
  };
  document.head.appendChild(script);
})();
