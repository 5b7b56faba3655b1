// Selecting words in the document fills "Words to redact" (the form works without this).
const text = document.getElementById("document-text");
const words = document.getElementById("words");
if (text && words) {
  text.addEventListener("mouseup", () => {
    const selected = window.getSelection().toString().trim();
    if (selected) {
      words.value = selected;
      words.focus();
    }
  });
}
