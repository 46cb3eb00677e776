// SkyRiff 运营后台: small progressive enhancement, no framework. Forms marked data-confirm ask first; a
// reason field marked required is checked by the browser before anything is posted.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    window.setTimeout(function () {  // one click, one post: no double submission while the page loads
      buttons.forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
