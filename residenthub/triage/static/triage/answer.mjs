// Progressive enhancement of "Did this answer your question?": send the yes or no without reloading
// and swap in the thank-you. Without JavaScript the form posts and the page comes back the same.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("hub-answer__feedback")) return;
  if (!window.fetch) return;
  event.preventDefault();
  const data = new FormData(form, event.submitter);
  const box = form.closest(".hub-answer");
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    box.outerHTML = await response.text();
  } catch (error) {
    // Fall back to the plain post, keeping the button's value (submit() does not send it).
    if (event.submitter && event.submitter.name) {
      const chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = event.submitter.name;
      chosen.value = event.submitter.value;
      form.append(chosen);
    }
    form.submit();
  }
});
