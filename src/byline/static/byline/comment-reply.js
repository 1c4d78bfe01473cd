// Moves the comment form under the comment being replied to. Without this script the
// "Reply" links still work: they reload the page with the form set up for the reply.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = document.getElementById("commentform");
  if (!respond || !form) return;
  var title = document.getElementById("reply-title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var parent = document.getElementById("comment_parent");
  var home = document.createElement("div");
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);

  function reset() {
    home.parentNode.insertBefore(respond, home.nextSibling);
    parent.value = "";
    title.textContent = "Leave a Reply";
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      var comment = document.getElementById("comment-" + link.dataset.comment);
      comment.querySelector(".comment-body").after(respond);
      parent.value = link.dataset.comment;
      title.textContent = "Leave a Reply to " + link.dataset.author;
      cancel.hidden = false;
      document.getElementById("comment").focus();
    } else if (event.target === cancel) {
      event.preventDefault();
      reset();
      history.replaceState(null, "", location.pathname + "#respond");
    }
  });
})();
