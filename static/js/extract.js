// Extraction by selection (moderators, article page; see moderation/includes/extract_tool.html).
//
// A selection inside one block of the article (an element with data-offset inside
// .prose[data-source=article]) or one paragraph of a reader comment (.comment-text) shows the
// button "Make an argument of this" after that block. The button opens the form there, filled
// with the exact quote and its offsets: start = the block's data-offset + the length of the
// block's text before the selection. The text is counted as the server stores it: a <br> is one
// "\n", and the numbered markers of overlapping quotes (.quote-marker) are not source text.
(() => {
  "use strict";

  const BLOCKS = [
    '.prose[data-source="article"] [data-offset]',
    '.comment-text[data-source="comment"] [data-offset]',
  ].join(", ");
  let chosen = null; // {block, quote, start, end, comment}

  const tool = () => document.getElementById("extract-tool");
  const inside = (target, selector) => target instanceof Element && !!target.closest(selector);

  function sourceLength(node) {
    // The length of a node's text as stored: text nodes, <br> as "\n", markers skipped.
    if (node.nodeType === Node.TEXT_NODE) return node.data.length;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.tagName === "BR") return 1;
      if (node.classList.contains("quote-marker")) return 0;
    }
    let length = 0;
    for (const child of node.childNodes) length += sourceLength(child);
    return length;
  }

  function sourceText(node) {
    if (node.nodeType === Node.TEXT_NODE) return node.data;
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (node.tagName === "BR") return "\n";
      if (node.classList.contains("quote-marker")) return "";
    }
    let text = "";
    for (const child of node.childNodes) text += sourceText(child);
    return text;
  }

  // The characters of `block` before a boundary point inside it.
  function offsetIn(block, container, offset) {
    const before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(container, offset);
    return sourceLength(before.cloneContents());
  }

  // The part of `range` that lies inside `block`, or null.
  function clip(range, block) {
    if (!range.intersectsNode(block)) return null;
    const whole = document.createRange();
    whole.selectNodeContents(block);
    const part = range.cloneRange();
    if (part.compareBoundaryPoints(Range.START_TO_START, whole) < 0) {
      part.setStart(whole.startContainer, whole.startOffset);
    }
    if (part.compareBoundaryPoints(Range.END_TO_END, whole) > 0) {
      part.setEnd(whole.endContainer, whole.endOffset);
    }
    return part;
  }

  // What the selection quotes: one block and the trimmed quote with its offsets, or a reason.
  function readSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const touched = [];
    for (const block of document.querySelectorAll(BLOCKS)) {
      const part = clip(range, block);
      // A triple click ends the range at the start of the next block: that touches nothing.
      if (part && sourceText(part.cloneContents()).trim()) touched.push([block, part]);
    }
    if (touched.length === 0) return null;
    if (touched.length > 1) return { error: tool().dataset.msgSpans };
    const [block, part] = touched[0];
    const text = sourceText(block);
    let start = offsetIn(block, part.startContainer, part.startOffset);
    let end = offsetIn(block, part.endContainer, part.endOffset);
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (start === end) return null;
    // The server counts code points (Python), JavaScript UTF-16 units: convert.
    const points = (units) => [...text.slice(0, units)].length;
    const base = Number(block.dataset.offset);
    const source = block.closest(".comment-text");
    return {
      block,
      quote: text.slice(start, end),
      start: base + points(start),
      end: base + points(end),
      comment: source ? source.dataset.comment : "",
    };
  }

  // Where the button and the form go: right after the passage's block (after the whole list
  // for a list item), so they come next in reading and tab order.
  // The form opens after the passage's block: after a list, or after the whole comment (the
  // answer re-marks a comment's text as a whole and must not take the form with it).
  function anchorOf(block) {
    return block.closest(".comment-text") || (block.tagName === "LI" ? block.closest("ul, ol") : block);
  }

  function say(message) {
    const status = document.getElementById("extract-status");
    if (status) status.textContent = message || "";
  }

  function hideButton() {
    const start = document.getElementById("extract-start");
    if (start) start.hidden = true;
  }

  function showButton(found) {
    const start = document.getElementById("extract-start");
    anchorOf(found.block).after(start);
    start.hidden = false;
  }

  function update(event) {
    const root = tool();
    if (!root) return;
    // Working the button or the form must not drop the passage.
    if (event && inside(event.target, "#extract-start, #extract-panel")) return;
    const found = readSelection();
    if (!found) {
      chosen = null;
      hideButton();
      return;
    }
    if (found.error) {
      chosen = null;
      hideButton();
      say(found.error);
      return;
    }
    chosen = found;
    showButton(found);
    say(root.dataset.msgSelected);
  }

  function commentAuthor(commentId) {
    const text = document.querySelector(`.comment-text[data-comment="${CSS.escape(commentId)}"]`);
    const article = text && text.closest("article");
    const name = article && article.querySelector(".comment-author");
    return name ? name.textContent.trim() : "";
  }

  function openForm() {
    if (!chosen) return;
    const root = tool();
    const panel = document.getElementById("extract-panel");
    const form = document.getElementById("extract-post");
    anchorOf(chosen.block).after(panel);
    for (const name of ["quote", "start", "end", "comment"]) {
      form.elements[name].value = String(chosen[name]);
    }
    panel.querySelector("#extract-quote-display").textContent = chosen.quote;
    panel.querySelector("#extract-quote-where").textContent = chosen.comment
      ? root.dataset.msgComment.replace("{name}", commentAuthor(chosen.comment))
      : root.dataset.msgArticle;
    const result = panel.querySelector(".extract-result");
    if (result) result.remove();
    const errors = form.querySelector(".form-errors");
    if (errors) errors.remove();
    for (const field of form.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
    }
    document.getElementById("extract-form").hidden = false;
    hideButton();
    say("");
    form.elements.text.focus();
  }

  function cancel() {
    document.getElementById("extract-form").hidden = true;
    const start = document.getElementById("extract-start");
    if (chosen && start) {
      start.hidden = false;
      document.getElementById("extract-button").focus();
    } else {
      document.getElementById("extract-tool-heading").focus();
    }
  }

  document.addEventListener("mouseup", update);
  document.addEventListener("keyup", update);
  document.addEventListener("click", (event) => {
    if (inside(event.target, "#extract-button")) openForm();
    else if (inside(event.target, "[data-extract-cancel]")) cancel();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && inside(event.target, "#extract-form")) cancel();
  });
  // Pressing the button must not collapse the selection before its click arrives.
  document.addEventListener("mousedown", (event) => {
    if (inside(event.target, "#extract-button")) event.preventDefault();
  });
})();
