// Progressive enhancement of the webchat: send without reloading the page. Without JavaScript the
// form posts and the page reloads, with the same result.
const form = document.querySelector(".hub-chat__form");
const log = () => document.getElementById("chat-log");

if (form && window.fetch) {
  form.addEventListener("submit", async (event) => {
    const box = form.querySelector("textarea");
    if (!box.value.trim()) return; // let the server show the error message
    event.preventDefault();
    const data = new FormData(form);
    try {
      const response = await fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      log().outerHTML = await response.text();
      box.value = "";
      const latest = document.getElementById("latest");
      if (latest) latest.scrollIntoView({ block: "start" });
      box.focus();
    } catch (error) {
      form.submit();
    }
  });
}
