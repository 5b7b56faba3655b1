// Progressive enhancement: a click on a line's time plays the recording from that moment.
// Without JavaScript the same link opens the recording at that time (a media fragment, #t=).
(function () {
  var player = document.getElementById("player");
  if (!player) return;
  document.querySelectorAll("a.hub-seek").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      player.currentTime = parseFloat(link.getAttribute("data-start")) || 0;
      player.play().catch(function () {});
      player.focus();
    });
  });
  if (location.hash.indexOf("#seg-") === 0) {
    var target = document.getElementById(location.hash.slice(1));
    var seek = target && target.querySelector("a.hub-seek");
    if (seek) player.currentTime = parseFloat(seek.getAttribute("data-start")) || 0;
  }
})();
