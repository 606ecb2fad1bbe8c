/* comments: post, preview, reply and recommend in place. Without this file every action
   is a plain form post; this only upgrades the same forms (CSP: no inline script). */
(function () {
  "use strict";
  var section = document.getElementById("comments");
  if (!section || !window.fetch || !window.FormData) { return; }
  var mainForm = document.getElementById("comment-form");
  var replyCounter = 0;

  function send(form, submitter) {
    // The clicked button's name/value is added by hand: FormData(form, submitter) is
    // not in every browser, and without it a Preview click would post the comment.
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin"
    });
  }

  function fromHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // A disabled button drops the keyboard focus to the page; this gives it back afterwards,
  // unless something else (a new comment) took it meanwhile.
  function keepFocus(element) {
    return function () {
      var lost = !document.activeElement || document.activeElement === document.body;
      if (lost && element && element.isConnected) { element.focus(); }
    };
  }

  function setBusy(form, busy) {
    if (busy) {
      var focused = document.activeElement;
      form.restoreFocus = keepFocus(form.contains(focused) ? focused : null);
    }
    form.querySelectorAll("button").forEach(function (button) { button.disabled = busy; });
    form.setAttribute("aria-busy", busy ? "true" : "false");
    if (!busy && form.restoreFocus) { form.restoreFocus(); }
  }

  // The error box keeps its id, which the textarea's aria-describedby points to; the
  // textarea is marked invalid and takes the focus, so its errors are read out with it.
  function showErrors(form, html) {
    var box = form.querySelector(".comment-form__errors");
    var fresh = fromHTML(html);
    if (box && fresh) {
      fresh.id = box.id;
      box.replaceWith(fresh);
    }
    var textarea = form.querySelector("textarea");
    var failed = Boolean(fresh && fresh.textContent.trim());
    if (!textarea) { return; }
    if (failed) {
      textarea.setAttribute("aria-invalid", "true");
      textarea.focus();
    } else {
      textarea.removeAttribute("aria-invalid");
    }
  }

  function updateCount(count) {
    if (count === null || count === "") { return; }
    var heading = document.getElementById("comments-heading");
    if (heading) { heading.textContent = "Comments (" + count + ")"; }
    if (Number(count) > 0) {
      var invitation = section.querySelector(".comments__first");
      if (invitation) { invitation.remove(); }
    }
  }

  function replyList(holderId) {
    if (!holderId) { return document.getElementById("comment-list"); }
    var holder = document.getElementById("comment-" + holderId);
    if (!holder) { return document.getElementById("comment-list"); }
    var list = holder.querySelector(":scope > .comment-list--replies");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list comment-list--replies";
      holder.appendChild(list);
    }
    return list;
  }

  function insertComment(form, html, response) {
    var node = fromHTML(html);
    updateCount(response.headers.get("X-Comment-Count"));
    if (node && !document.getElementById(node.id)) {
      replyList(response.headers.get("X-Comment-Holder")).appendChild(node);
    }
    var target = node && document.getElementById(node.id);
    form.querySelector("textarea").value = "";
    var preview = form.querySelector(".comment-form__preview");
    if (preview) { preview.innerHTML = ""; }
    showErrors(form, '<div class="comment-form__errors" role="alert"></div>');
    if (form !== mainForm) { form.remove(); }
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.classList.add("comment--new");
      // The focus follows the new comment, so a keyboard or screen reader user is there too.
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  }

  function submitComment(form, submitter) {
    var preview = submitter && submitter.name === "preview";
    setBusy(form, true);
    send(form, submitter).then(function (response) {
      return response.text().then(function (html) {
        if (preview) {
          form.querySelector(".comment-form__preview").innerHTML = html;
        } else if (response.ok) {
          insertComment(form, html, response);
        } else {
          showErrors(form, html);
        }
      });
    }).catch(function () {
      showErrors(form, '<div class="comment-form__errors" role="alert"><ul><li>' +
        "Could not reach the site. Your text is still here; please try again.</li></ul></div>");
    }).then(function () { setBusy(form, false); });
  }

  function toggleRecommendation(form) {
    var button = form.querySelector("button");
    var restoreFocus = keepFocus(document.activeElement === button ? button : null);
    button.disabled = true;
    send(form).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { button.title = data.error || "Not possible"; return; }
        button.setAttribute("aria-pressed", data.recommended ? "true" : "false");
        button.textContent = (data.recommended ? "Recommended" : "Recommend") + " (" + data.count + ")";
      });
    }).catch(function () { /* the button simply stays as it was */ })
      .then(function () { button.disabled = false; restoreFocus(); });
  }

  function openReplyForm(link) {
    var item = document.getElementById("comment-" + link.dataset.replyTo);
    if (!item) { return false; }
    var existing = item.querySelector(":scope > .comment-form--reply");
    if (existing) { existing.querySelector("textarea").focus(); return true; }
    replyCounter += 1;
    var form = mainForm.cloneNode(true);
    form.removeAttribute("id");
    form.classList.add("comment-form--reply");
    form.querySelectorAll("[id]").forEach(function (element) {
      var label = form.querySelector('label[for="' + element.id + '"]');
      var described = form.querySelector('[aria-describedby="' + element.id + '"]');
      element.id = element.id + "-reply-" + replyCounter;
      if (label) { label.htmlFor = element.id; }
      if (described) { described.setAttribute("aria-describedby", element.id); }
    });
    form.querySelectorAll('input[name="parent"], .comment-form__replying').forEach(function (e) { e.remove(); });
    var parent = document.createElement("input");
    parent.type = "hidden";
    parent.name = "parent";
    parent.value = link.dataset.replyTo;
    form.appendChild(parent);
    form.querySelector(".comment-form__title").textContent = "Reply to " + (link.dataset.replyName || "this comment");
    form.querySelector("textarea").value = "";
    form.querySelector("textarea").removeAttribute("aria-invalid");
    form.querySelector(".comment-form__preview").innerHTML = "";
    var errors = form.querySelector(".comment-form__errors");
    if (errors) { errors.innerHTML = ""; }
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "comment-form__cancel";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () { form.remove(); });
    form.querySelector(".comment-form__buttons").appendChild(cancel);
    var replies = item.querySelector(":scope > .comment-list--replies");
    item.insertBefore(form, replies);
    form.querySelector("textarea").focus();
    return true;
  }

  var lastClicked = null;
  section.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit]");
    if (button) { lastClicked = button; }
  }, true);

  section.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter ||
      (lastClicked && lastClicked.form === form ? lastClicked : null);
    if (form.classList.contains("comment__recommend")) {
      event.preventDefault();
      toggleRecommendation(form);
    } else if (form.classList.contains("comment-form")) {
      event.preventDefault();
      submitComment(form, submitter);
    }
  });

  section.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment__reply");
    if (link && mainForm && mainForm.tagName === "FORM" && openReplyForm(link)) {
      event.preventDefault();
    }
  });
}());
